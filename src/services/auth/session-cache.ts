// The per-request session check (is the session still live, what are the user's team roles),
// cached for a moment: every authenticated REST request asks it, and the answer rarely changes.
// Whatever changes it — a logout, a refresh token reused, a membership added, removed or re-roled,
// a team or a user deleted — invalidates the user's entries on every node (through
// src/models/cache-invalidation.ts) after committing and before anyone is told of the change, so
// the next request on any node reads afresh. A lost invalidation is bounded by the TTL
// (SESSION_CACHE_MS); connection re-checks (permission changes) always read the database.
import { bindCache, EVERY_KEY, type CacheInvalidation } from '../../models/cache-invalidation.ts';
import { TtlCache } from '../../utils/ttl-cache.ts';
import type { Role } from '../actor.ts';

/** A session's liveness and its user's roles, as `AuthService.sessionState` reads them. */
export interface SessionState {
  ended: boolean;
  roles: Map<string, Role>;
}

interface Cached {
  ended: boolean;
  roles: [string, Role][];
}

/** Session states by user and session, invalidated by user across the cluster. */
export class SessionCache {
  private readonly cache: TtlCache<Cached>;
  private readonly invalidation: CacheInvalidation;

  constructor(invalidation: CacheInvalidation, ttlMs: number, maxEntries = 10_000) {
    this.invalidation = invalidation;
    this.cache = new TtlCache({ ttlMs, maxEntries });
    bindCache(invalidation, 'session', this.cache);
  }

  /**
   * The state of `familyId`, cached unless `fresh`; `read` asks the database. A read in flight
   * when the user's entries are invalidated does not store its (possibly older) answer.
   */
  async state(
    userId: string,
    familyId: string,
    read: () => Promise<SessionState>,
    fresh = false,
  ): Promise<SessionState> {
    const key = `${userId}/${familyId}`;
    const listening = this.invalidation.listening();
    const hit = fresh || !listening ? undefined : this.cache.get(key);
    if (hit) return { ended: hit.ended, roles: new Map(hit.roles) };
    const since = this.cache.begin();
    const state = await read();
    // Not listening: invalidations may be missed, so nothing is stored until the channel is back.
    if (listening) this.cache.set(key, { ended: state.ended, roles: [...state.roles] }, { group: userId, since });
    return state;
  }

  /** Call once a change to the user's sessions or memberships is committed, before it is announced. */
  invalidate(userId: string): Promise<void> {
    return this.invalidation.invalidate('session', userId);
  }

  /** Every user's entries, on every node (a team deleted: whoever was in it). */
  invalidateAll(): Promise<void> {
    return this.invalidation.invalidate('session', EVERY_KEY);
  }
}
