// Rate limits over a shared counter store; a refused hit becomes `rate_limited` with Retry-After.
import type { CounterStore } from '../models/counters.ts';
import { AppError } from '../utils/errors.ts';

export interface Limit {
  key: string;
  max: number;
  windowSeconds: number;
}

/** Counts hits against limits and refuses the ones over. */
export class RateLimiter {
  private readonly store: CounterStore;

  constructor(store: CounterStore) {
    this.store = store;
  }

  /** Counts one hit on each limit; throws `rate_limited` if any is exceeded. */
  async consume(...limits: Limit[]): Promise<void> {
    for (const limit of limits) {
      const { count, ttlSeconds } = await this.store.incr(`rl:${limit.key}`, limit.windowSeconds);
      if (count > limit.max) {
        throw new AppError(
          'rate_limited',
          undefined,
          { retryAfterSeconds: ttlSeconds },
          { 'Retry-After': String(ttlSeconds) },
        );
      }
    }
  }

  /** Counts one hit on `key` without a limit; returns how many there were in the window. */
  async hit(key: string, windowSeconds: number): Promise<number> {
    return (await this.store.incr(`rl:${key}`, windowSeconds)).count;
  }

  /** Clears a limit's window. */
  reset(key: string): Promise<void> {
    return this.store.reset(`rl:${key}`);
  }
}
