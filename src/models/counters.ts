// Fixed-window counters for rate limits: in Redis when there is one (shared by every node), else in memory.
import type { Redis } from 'ioredis';

export interface CounterStore {
  /** Adds one to `key` in a window of `windowSeconds`; returns the new count and seconds left. */
  incr(key: string, windowSeconds: number): Promise<{ count: number; ttlSeconds: number }>;
  /** Forgets a key (a successful login clears its failures). */
  reset(key: string): Promise<void>;
}

/** Counters in Redis: INCR, then set the expiry only on the window's first hit. */
export function redisCounters(redis: Redis): CounterStore {
  return {
    async incr(key, windowSeconds) {
      const result = await redis.multi().incr(key).expire(key, windowSeconds, 'NX').ttl(key).exec();
      const count = Number(result?.[0]?.[1] ?? 1);
      const ttl = Number(result?.[2]?.[1] ?? windowSeconds);
      return { count, ttlSeconds: ttl > 0 ? ttl : windowSeconds };
    },
    async reset(key) {
      await redis.del(key);
    },
  };
}

/** Counters in this process, for single-node mode. Expired windows are swept as they are touched. */
export function memoryCounters(now: () => number = Date.now): CounterStore {
  const windows = new Map<string, { count: number; resetAt: number }>();
  return {
    async incr(key, windowSeconds) {
      const t = now();
      let w = windows.get(key);
      if (!w || w.resetAt <= t) {
        w = { count: 0, resetAt: t + windowSeconds * 1000 };
        windows.set(key, w);
      }
      w.count += 1;
      if (windows.size > 10_000) for (const [k, v] of windows) if (v.resetAt <= t) windows.delete(k);
      return { count: w.count, ttlSeconds: Math.ceil((w.resetAt - t) / 1000) };
    },
    async reset(key) {
      windows.delete(key);
    },
  };
}
