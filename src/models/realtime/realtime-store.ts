// The shared state of the realtime hub: expiring sets (connections, typing), hashes (presence) and
// leases (component locks). In Redis every node sees the same state and a dead node's entries
// expire; in memory it serves single-node mode. Both behave the same, and tests run on both. When
// Redis comes back without its data, `onReset` tells the nodes, which put back what they hold.
import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';

export interface RealtimeStore {
  /** Adds or refreshes `member` in an expiring set until `expiresAt` (ms epoch). */
  zadd(key: string, member: string, expiresAt: number): Promise<void>;
  zrem(key: string, member: string): Promise<void>;
  /** Members not yet expired (expired ones are pruned). */
  zlive(key: string, now?: number): Promise<string[]>;
  hset(key: string, field: string, value: string): Promise<void>;
  hdel(key: string, field: string): Promise<void>;
  hgetall(key: string): Promise<Record<string, string>>;
  /** Takes a lease if it is free (SET NX PX); returns the holder after the attempt. */
  acquire(key: string, owner: string, ttlMs: number): Promise<string>;
  /** Extends a lease the owner still holds. */
  renew(key: string, owner: string, ttlMs: number): Promise<boolean>;
  /** Releases a lease the owner holds. */
  release(key: string, owner: string): Promise<boolean>;
  /** Releases whoever holds it; returns the former holder. */
  breakLease(key: string): Promise<string | null>;
  holder(key: string): Promise<string | null>;
  /** Replaces a lease `expected` holds with `owner` (compare-and-set); false when it changed meanwhile. */
  replace(key: string, expected: string, owner: string, ttlMs: number): Promise<boolean>;
  /** Calls `listener` when the store came back empty (Redis restarted without its data). */
  onReset(listener: () => void): void;
  /** How many times this process saw the store come back empty. */
  readonly resets: number;
  /** Looks whether the store came back empty (telling the listeners if so); resolves with `resets`. */
  checkReset(): Promise<number>;
}

const RENEW = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('pexpire', KEYS[1], ARGV[2]) else return 0 end`;
const RELEASE = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end`;
const REPLACE = `if redis.call('get', KEYS[1]) == ARGV[1] then redis.call('set', KEYS[1], ARGV[2], 'PX', ARGV[3]) return 1 else return 0 end`;
const EPOCH_KEY = 'rt:epoch';

/**
 * Tells when Redis lost its data: every node marks the data set with one random epoch (SET NX, no
 * expiry); after a reconnect a different or missing epoch means what was there is gone.
 */
function watchResets(redis: Redis, listeners: Set<() => void>): { resets: () => number; check: () => Promise<number> } {
  let epoch: string | null = null;
  let resets = 0;
  const read = async () => {
    const mine = randomUUID();
    return (await redis.set(EPOCH_KEY, mine, 'NX')) === 'OK' ? mine : ((await redis.get(EPOCH_KEY)) ?? mine);
  };
  const check = async () => {
    const seen = await read();
    const reset = epoch !== null && seen !== epoch;
    epoch = seen;
    if (reset) {
      resets++;
      for (const listener of listeners) listener();
    }
    return resets;
  };
  if (redis.status === 'ready') void check().catch(() => undefined);
  redis.on('ready', () => void check().catch(() => undefined));
  return { resets: () => resets, check };
}

/** The store in Redis (keys prefixed by the connection's keyPrefix). */
export function redisRealtimeStore(redis: Redis): RealtimeStore {
  const resetListeners = new Set<() => void>();
  const watch = watchResets(redis, resetListeners);
  return {
    get resets() {
      return watch.resets();
    },
    checkReset: () => watch.check(),
    async zadd(key, member, expiresAt) {
      await redis
        .multi()
        .zadd(key, expiresAt, member)
        .pexpireat(key, expiresAt + 60_000)
        .exec();
    },
    async zrem(key, member) {
      await redis.zrem(key, member);
    },
    async zlive(key, now = Date.now()) {
      const result = await redis.multi().zremrangebyscore(key, '-inf', String(now)).zrange(key, '0', '-1').exec();
      return (result?.[1]?.[1] as string[] | undefined) ?? [];
    },
    async hset(key, field, value) {
      await redis
        .multi()
        .hset(key, field, value)
        .pexpire(key, 24 * 3600_000)
        .exec();
    },
    async hdel(key, field) {
      await redis.hdel(key, field);
    },
    async hgetall(key) {
      return redis.hgetall(key);
    },
    async acquire(key, owner, ttlMs) {
      const set = await redis.set(key, owner, 'PX', ttlMs, 'NX');
      if (set === 'OK') return owner;
      return (await redis.get(key)) ?? (await this.acquire(key, owner, ttlMs));
    },
    async renew(key, owner, ttlMs) {
      return (await redis.eval(RENEW, 1, key, owner, ttlMs)) === 1;
    },
    async release(key, owner) {
      return (await redis.eval(RELEASE, 1, key, owner)) === 1;
    },
    async breakLease(key) {
      const result = await redis.multi().get(key).del(key).exec();
      return (result?.[0]?.[1] as string | null) ?? null;
    },
    async holder(key) {
      return redis.get(key);
    },
    async replace(key, expected, owner, ttlMs) {
      return (await redis.eval(REPLACE, 1, key, expected, owner, ttlMs)) === 1;
    },
    onReset(listener) {
      resetListeners.add(listener);
    },
  };
}

/** The store in this process, for single-node mode. */
export function memoryRealtimeStore(clock: () => number = Date.now): RealtimeStore {
  const sets = new Map<string, Map<string, number>>();
  const hashes = new Map<string, Map<string, string>>();
  const leases = new Map<string, { owner: string; expiresAt: number }>();
  const lease = (key: string) => {
    const l = leases.get(key);
    if (l && l.expiresAt <= clock()) {
      leases.delete(key);
      return undefined;
    }
    return l;
  };
  return {
    async zadd(key, member, expiresAt) {
      const set = sets.get(key) ?? new Map<string, number>();
      set.set(member, expiresAt);
      sets.set(key, set);
    },
    async zrem(key, member) {
      sets.get(key)?.delete(member);
    },
    async zlive(key, now = clock()) {
      const set = sets.get(key);
      if (!set) return [];
      for (const [m, exp] of set) if (exp <= now) set.delete(m);
      if (!set.size) sets.delete(key);
      return [...set.keys()];
    },
    async hset(key, field, value) {
      const h = hashes.get(key) ?? new Map<string, string>();
      h.set(field, value);
      hashes.set(key, h);
    },
    async hdel(key, field) {
      hashes.get(key)?.delete(field);
    },
    async hgetall(key) {
      return Object.fromEntries(hashes.get(key) ?? []);
    },
    async acquire(key, owner, ttlMs) {
      const current = lease(key);
      if (current) return current.owner;
      leases.set(key, { owner, expiresAt: clock() + ttlMs });
      return owner;
    },
    async renew(key, owner, ttlMs) {
      const current = lease(key);
      if (current?.owner !== owner) return false;
      current.expiresAt = clock() + ttlMs;
      return true;
    },
    async release(key, owner) {
      if (lease(key)?.owner !== owner) return false;
      leases.delete(key);
      return true;
    },
    async breakLease(key) {
      const current = lease(key);
      leases.delete(key);
      return current?.owner ?? null;
    },
    async holder(key) {
      return lease(key)?.owner ?? null;
    },
    async replace(key, expected, owner, ttlMs) {
      if (lease(key)?.owner !== expected) return false;
      leases.set(key, { owner, expiresAt: clock() + ttlMs });
      return true;
    },
    // Memory does not restart underneath the process.
    onReset() {},
    resets: 0,
    checkReset: async () => 0,
  };
}
