// Redis connections. BullMQ needs `maxRetriesPerRequest: null`; every other user shares the same options.
import { Redis } from 'ioredis';

export type { Redis };

/** Opens a Redis connection; `lazyConnect` lets the caller await `connect()` and fail fast. */
export function createRedis(url: string, keyPrefix = ''): Redis {
  return new Redis(url, { maxRetriesPerRequest: null, lazyConnect: true, keyPrefix, enableOfflineQueue: true });
}
