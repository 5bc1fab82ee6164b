// A small bounded in-memory cache with a time to live, for lookups every request repeats (a
// session's state, a team's webhooks). Entries belong to a group (their key unless told otherwise)
// and are invalidated by group: a user's sessions go together. A read that was in flight when its
// group was invalidated never stores its answer, which may predate the change (`load`).

export interface TtlCacheOptions {
  /** Most entries held; the oldest go first beyond it. */
  maxEntries: number;
  /** How long an entry is served; 0 turns the cache off (every `load` reads). */
  ttlMs: number;
  /** The clock (tests). */
  now?: () => number;
}

interface Entry<V> {
  value: V;
  expiresAt: number;
  group: string;
}

/** Bounded cache with a TTL, group invalidation and a generation rule for in-flight reads. */
export class TtlCache<V> {
  private readonly entries = new Map<string, Entry<V>>();
  private readonly groups = new Map<string, Set<string>>();
  /** Generation of each group's last invalidation, at most `maxEntries` of them (see `floor`). */
  private readonly marks = new Map<string, number>();
  private generation = 0;
  /** Reads started before this generation store nothing: the marks that would tell are gone. */
  private floor = 0;
  private readonly maxEntries: number;
  private readonly ttlMs: number;
  private readonly now: () => number;

  constructor(options: TtlCacheOptions) {
    this.maxEntries = Math.max(1, options.maxEntries);
    this.ttlMs = options.ttlMs;
    this.now = options.now ?? Date.now;
  }

  /** Whether the cache holds anything at all (TTL above 0). */
  get enabled(): boolean {
    return this.ttlMs > 0;
  }

  /** Entries held, expired ones included until they are next touched. */
  get size(): number {
    return this.entries.size;
  }

  /** The live value under `key`, if any. */
  get(key: string): V | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (entry.expiresAt > this.now()) return entry.value;
    this.drop(key, entry);
    return undefined;
  }

  /** The generation a read starts at; hand it to `set` so an invalidation meanwhile wins. */
  begin(): number {
    return this.generation;
  }

  /**
   * Stores a value read since generation `since` (default: now). Refused, returning false, when
   * the group was invalidated after the read began: the value may be older than the change.
   */
  set(key: string, value: V, options: { group?: string; since?: number } = {}): boolean {
    if (!this.enabled) return false;
    const group = options.group ?? key;
    const since = options.since ?? this.generation;
    if (since < this.floor || (this.marks.get(group) ?? 0) > since) return false;
    const old = this.entries.get(key);
    if (old) this.drop(key, old);
    while (this.entries.size >= this.maxEntries) {
      const [oldest, entry] = this.entries.entries().next().value as [string, Entry<V>];
      this.drop(oldest, entry);
    }
    this.entries.set(key, { value, expiresAt: this.now() + this.ttlMs, group });
    let keys = this.groups.get(group);
    if (!keys) this.groups.set(group, (keys = new Set()));
    keys.add(key);
    return true;
  }

  /** The cached value, or `read()`'s answer, stored unless the group was invalidated meanwhile. */
  async load(key: string, read: () => Promise<V>, group: string = key): Promise<V> {
    const hit = this.get(key);
    if (hit !== undefined) return hit;
    const since = this.begin();
    const value = await read();
    this.set(key, value, { group, since });
    return value;
  }

  /** Drops a group's entries (a key is its own group unless set otherwise); reads in flight store nothing. */
  delete(group: string): void {
    this.generation += 1;
    for (const key of this.groups.get(group) ?? []) this.entries.delete(key);
    this.groups.delete(group);
    this.marks.delete(group);
    this.marks.set(group, this.generation);
    while (this.marks.size > this.maxEntries) {
      const [oldest, at] = this.marks.entries().next().value as [string, number];
      this.marks.delete(oldest);
      this.floor = Math.max(this.floor, at);
    }
  }

  /** Drops everything; no read in flight stores its answer. */
  clear(): void {
    this.generation += 1;
    this.floor = this.generation;
    this.entries.clear();
    this.groups.clear();
    this.marks.clear();
  }

  private drop(key: string, entry: Entry<V>): void {
    this.entries.delete(key);
    const keys = this.groups.get(entry.group);
    keys?.delete(key);
    if (keys && !keys.size) this.groups.delete(entry.group);
  }
}
