// Caps how many realtime connections one user (or API key) may hold across the cluster.
import type { RealtimeStore } from '../../models/realtime/realtime-store.ts';
import { AppError } from '../../utils/errors.ts';

/** Counts live connections per principal with heartbeated expiry. */
export class ConnectionLimiter {
  private readonly store: RealtimeStore;
  private readonly max: number;
  private readonly ttlMs: number;

  constructor(store: RealtimeStore, max: number, ttlMs: number) {
    this.store = store;
    this.max = max;
    this.ttlMs = ttlMs;
  }

  /** Registers a connection or throws `rate_limited` when the principal is at the cap. */
  async open(principal: string, connectionId: string): Promise<void> {
    const live = await this.store.zlive(`uc:${principal}`);
    if (live.length >= this.max)
      throw new AppError('rate_limited', `At most ${this.max} realtime connections per user`);
    await this.store.zadd(`uc:${principal}`, connectionId, Date.now() + this.ttlMs);
  }

  /** Keeps a connection counted. */
  heartbeat(principal: string, connectionId: string): Promise<void> {
    return this.store.zadd(`uc:${principal}`, connectionId, Date.now() + this.ttlMs);
  }

  /** Stops counting a connection. */
  close(principal: string, connectionId: string): Promise<void> {
    return this.store.zrem(`uc:${principal}`, connectionId);
  }
}
