// Redis connections. BullMQ needs `maxRetriesPerRequest: null`; every other user shares the same
// options. Each connection logs once when it goes down and once when it is back, not per retry
// (ioredis would print "Unhandled error event" on every failed reconnect without a handler).
import { Redis } from 'ioredis';
import type { Logger } from 'pino';

export type { Redis };

export interface RedisOptions {
  keyPrefix?: string;
  logger?: Logger;
  /** What the connection is for, in its log lines. */
  name?: string;
  /** Connect on creation (BullMQ's connections); otherwise the caller awaits `connect()` and fails fast. */
  eager?: boolean;
}

/** Opens a Redis connection that reconnects forever and reports its state changes. */
export function createRedis(url: string, options: RedisOptions = {}): Redis {
  const redis = new Redis(url, {
    maxRetriesPerRequest: null,
    lazyConnect: !options.eager,
    keyPrefix: options.keyPrefix ?? '',
    enableOfflineQueue: true,
  });
  let down = false;
  redis.on('error', (err: Error) => {
    if (down) return;
    down = true;
    options.logger?.warn({ redis: options.name ?? 'redis', err: err.message }, 'Redis connection lost; reconnecting');
  });
  redis.on('ready', () => {
    if (!down) return;
    down = false;
    options.logger?.info({ redis: options.name ?? 'redis' }, 'Redis connection restored');
  });
  return redis;
}
