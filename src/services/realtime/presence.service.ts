// Who is in a design system right now: one entry per user (however many tabs), with status,
// cursor, selection, custom state, and the documents their connections have open. Connections are heartbeated with a TTL, so a vanished node's users leave
// by themselves; `user_presence.last_seen` is written, debounced. What this node wrote is kept, so
// it can be put back when Redis comes back without its data.
import type { Db, Prisma } from '../../models/db.ts';
import type { RealtimeStore } from '../../models/realtime/realtime-store.ts';

export type PresenceStatus = 'active' | 'idle' | 'away';

export interface PresenceUser {
  id: string;
  name: string;
  avatarUrl: string | null;
}

export interface PresenceEntry {
  user: PresenceUser;
  status: PresenceStatus;
  cursor: unknown;
  selection: unknown;
  /** Names of the documents the user's connections have open, sorted. */
  viewing: string[];
  /** What the client set with `presence-state`. */
  state: Record<string, unknown>;
  connections: number;
  lastSeen: string;
}

interface State {
  user: PresenceUser;
  status: PresenceStatus;
  cursor: unknown;
  selection: unknown;
  /** Missing in entries written before custom state existed. */
  state?: Record<string, unknown>;
  lastSeen: string;
}

const conns = (dsId: string) => `pc:${dsId}`;
const states = (dsId: string) => `ps:${dsId}`;
/** Per connection (`<userId>|<connectionId>`): the documents it has open, as a JSON array. */
const viewings = (dsId: string) => `pv:${dsId}`;
const fresh = (user: PresenceUser): State => ({
  user,
  status: 'active',
  cursor: null,
  selection: null,
  state: {},
  lastSeen: new Date().toISOString(),
});

/** Presence per design system. */
export class PresenceService {
  private readonly store: RealtimeStore;
  private readonly db: Db;
  private readonly ttlMs: number;
  private readonly lastSeenEveryMs: number;
  private readonly lastWritten = new Map<string, number>();
  /** The running read-patch-write per user and room (see update). */
  private readonly updating = new Map<string, Promise<void>>();
  /** The last state this node wrote for each user and room it has connections in, to put back after a Redis reset. */
  private readonly local = new Map<string, State>();
  /** What each connection here has open, by `<dsId>|<userId>|<connectionId>`, for the same reason. */
  private readonly localViewing = new Map<string, string[]>();

  constructor(store: RealtimeStore, db: Db, options: { ttlMs: number; lastSeenEveryMs: number }) {
    this.store = store;
    this.db = db;
    this.ttlMs = options.ttlMs;
    this.lastSeenEveryMs = options.lastSeenEveryMs;
  }

  /** Adds a connection (with the documents it has open); the user's entry is created on their first. Returns the room's presence. */
  async join(dsId: string, user: PresenceUser, connectionId: string, viewing: string[] = []): Promise<PresenceEntry[]> {
    await this.store.zadd(conns(dsId), `${user.id}|${connectionId}`, Date.now() + this.ttlMs);
    await this.view(dsId, user.id, connectionId, viewing);
    const existing = (await this.store.hgetall(states(dsId)))[user.id];
    if (!existing) await this.write(dsId, fresh(user));
    await this.touchLastSeen(dsId, user.id, 'active', null, true);
    return this.list(dsId);
  }

  /** Keeps a connection alive for another TTL (and its user's entry, should Redis have lost it). */
  async heartbeat(dsId: string, user: PresenceUser, connectionId: string): Promise<void> {
    const state = await this.restore(dsId, user, connectionId);
    await this.touchLastSeen(dsId, user.id, state.status, state.cursor, false);
  }

  /** Sets the documents a connection has open. */
  async view(dsId: string, userId: string, connectionId: string, viewing: string[]): Promise<void> {
    const member = `${userId}|${connectionId}`;
    if (viewing.length) {
      this.localViewing.set(`${dsId}|${member}`, viewing);
      await this.store.hset(viewings(dsId), member, JSON.stringify(viewing));
    } else {
      this.localViewing.delete(`${dsId}|${member}`);
      await this.store.hdel(viewings(dsId), member);
    }
  }

  /** Removes a connection; true when it was the user's last one here. */
  async leave(dsId: string, userId: string, connectionId: string): Promise<boolean> {
    await this.store.zrem(conns(dsId), `${userId}|${connectionId}`);
    await this.view(dsId, userId, connectionId, []);
    const still = (await this.store.zlive(conns(dsId))).some((m) => m.startsWith(`${userId}|`));
    if (still) return false;
    const state = await this.state(dsId, userId);
    await this.store.hdel(states(dsId), userId);
    this.local.delete(`${dsId}|${userId}`);
    await this.touchLastSeen(dsId, userId, state?.status ?? 'away', state?.cursor ?? null, true);
    return true;
  }

  /** Changes a user's status, cursor, selection or custom state. */
  async update(
    dsId: string,
    userId: string,
    patch: Partial<Pick<State, 'status' | 'cursor' | 'selection' | 'state'>>,
  ): Promise<void> {
    // Read, patch, write: one at a time per user and room on this node, so that a status and a
    // custom state sent together (two tabs, or one updatePresence) do not overwrite each other.
    const key = `${dsId}|${userId}`;
    const run = (this.updating.get(key) ?? Promise.resolve()).then(async () => {
      const state = await this.state(dsId, userId);
      if (state) await this.write(dsId, { ...state, ...patch, lastSeen: new Date().toISOString() });
    });
    const settled = run.catch(() => undefined);
    this.updating.set(key, settled);
    void settled.then(() => this.updating.get(key) === settled && this.updating.delete(key));
    return run;
  }

  /** Everyone present, one entry per user, with their live connection count. */
  async list(dsId: string): Promise<PresenceEntry[]> {
    const [live, raw, viewed] = await Promise.all([
      this.store.zlive(conns(dsId)),
      this.store.hgetall(states(dsId)),
      this.store.hgetall(viewings(dsId)),
    ]);
    const counts = new Map<string, number>();
    const viewing = new Map<string, Set<string>>();
    for (const member of live) {
      const userId = member.slice(0, member.indexOf('|'));
      counts.set(userId, (counts.get(userId) ?? 0) + 1);
      const docs = viewed[member];
      if (!docs) continue;
      const seen = viewing.get(userId) ?? new Set<string>();
      for (const name of JSON.parse(docs) as string[]) seen.add(name);
      viewing.set(userId, seen);
    }
    const alive = new Set(live);
    // Connections that expired (their node died) leave what they had open behind: tidy it.
    for (const member of Object.keys(viewed)) if (!alive.has(member)) void this.store.hdel(viewings(dsId), member);
    const entries: PresenceEntry[] = [];
    for (const [userId, json] of Object.entries(raw)) {
      const n = counts.get(userId);
      if (!n) {
        // The user's connections all expired (their node died): tidy the stale entry.
        void this.store.hdel(states(dsId), userId);
        continue;
      }
      const state = JSON.parse(json) as State;
      entries.push({
        ...state,
        state: state.state ?? {},
        viewing: [...(viewing.get(userId) ?? [])].sort(),
        connections: n,
      });
    }
    return entries.sort((a, b) => a.user.name.localeCompare(b.user.name));
  }

  private async state(dsId: string, userId: string): Promise<State | null> {
    const json = (await this.store.hgetall(states(dsId)))[userId];
    return json ? (JSON.parse(json) as State) : null;
  }

  /**
   * Puts a connection and its user's entry back after Redis lost its data (status, cursor,
   * selection, custom state and what the connection has open, as this node last wrote them);
   * returns the entry.
   */
  async restore(dsId: string, user: PresenceUser, connectionId: string): Promise<State> {
    const member = `${user.id}|${connectionId}`;
    await this.store.zadd(conns(dsId), member, Date.now() + this.ttlMs);
    const viewing = this.localViewing.get(`${dsId}|${member}`);
    if (viewing) await this.store.hset(viewings(dsId), member, JSON.stringify(viewing));
    const current = await this.state(dsId, user.id);
    if (current) return current;
    const known = this.local.get(`${dsId}|${user.id}`) ?? fresh(user);
    await this.write(dsId, known);
    return known;
  }

  private write(dsId: string, state: State): Promise<void> {
    this.local.set(`${dsId}|${state.user.id}`, state);
    return this.store.hset(states(dsId), state.user.id, JSON.stringify(state));
  }

  /** Upserts `user_presence`, at most every `lastSeenEveryMs` per user and room unless forced. */
  private async touchLastSeen(
    dsId: string,
    userId: string,
    status: PresenceStatus,
    cursor: unknown,
    force: boolean,
  ): Promise<void> {
    const key = `${dsId}|${userId}`;
    const now = Date.now();
    if (!force && now - (this.lastWritten.get(key) ?? 0) < this.lastSeenEveryMs) return;
    this.lastWritten.set(key, now);
    const cursorPosition = (cursor ?? undefined) as Prisma.InputJsonValue | undefined;
    await this.db.userPresence
      .upsert({
        where: { userId_designSystemId: { userId, designSystemId: dsId } },
        create: {
          userId,
          designSystemId: dsId,
          status,
          lastSeen: new Date(now),
          ...(cursorPosition ? { cursorPosition } : {}),
        },
        update: { status, lastSeen: new Date(now), ...(cursorPosition ? { cursorPosition } : {}) },
      })
      .catch(() => undefined);
  }
}
