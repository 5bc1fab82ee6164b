// Who is typing where: entries expire by themselves a few seconds after the last keystroke.
import type { RealtimeStore } from '../../models/realtime/realtime-store.ts';

const key = (dsId: string, resourceId: string) => `ty:${dsId}:${resourceId}`;

/** Typing indicators per resource. */
export class TypingService {
  private readonly store: RealtimeStore;
  readonly ttlMs: number;

  constructor(store: RealtimeStore, ttlMs: number) {
    this.store = store;
    this.ttlMs = ttlMs;
  }

  /** Marks a user as typing; returns who is typing now. */
  async start(dsId: string, resourceId: string, userId: string): Promise<string[]> {
    const expiresAt = Date.now() + this.ttlMs;
    await this.store.zadd(key(dsId, resourceId), userId, expiresAt);
    await this.store.zadd(`tyr:${dsId}`, resourceId, expiresAt);
    return this.users(dsId, resourceId);
  }

  /** Every resource someone is typing on in a design system, with who. */
  async state(dsId: string): Promise<{ resourceId: string; users: string[] }[]> {
    const resources = await this.store.zlive(`tyr:${dsId}`);
    const all = await Promise.all(
      resources.map(async (resourceId) => ({ resourceId, users: await this.users(dsId, resourceId) })),
    );
    return all.filter((r) => r.users.length > 0);
  }

  /** Clears a user's typing; returns who is still typing. */
  async stop(dsId: string, resourceId: string, userId: string): Promise<string[]> {
    await this.store.zrem(key(dsId, resourceId), userId);
    return this.users(dsId, resourceId);
  }

  /** Who is typing on a resource. */
  users(dsId: string, resourceId: string): Promise<string[]> {
    return this.store.zlive(key(dsId, resourceId));
  }
}
