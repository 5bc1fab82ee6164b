// The bounded TTL cache: expiry, the entry bound, group invalidation, and the generation rule — a
// read in flight when its group is invalidated must not store its (possibly older) answer.
import { describe, expect, it } from '@jest/globals';
import { TtlCache } from '../../../src/utils/ttl-cache.ts';

/** A cache on a clock the test moves. */
function cacheAt(options: { ttlMs?: number; maxEntries?: number } = {}) {
  const clock = { now: 1000 };
  const cache = new TtlCache<string>({
    ttlMs: options.ttlMs ?? 100,
    maxEntries: options.maxEntries ?? 10,
    now: () => clock.now,
  });
  return { cache, clock };
}

/** A read the test finishes when it wants. */
function pendingRead(value: string) {
  let finish: () => void = () => undefined;
  const done = new Promise<string>((ok) => (finish = () => ok(value)));
  return { read: () => done, finish };
}

describe('TtlCache', () => {
  it('serves a value until its TTL, then reads again', async () => {
    const { cache, clock } = cacheAt({ ttlMs: 100 });
    let reads = 0;
    const read = async () => `v${++reads}`;
    expect(await cache.load('k', read)).toBe('v1');
    clock.now += 99;
    expect(await cache.load('k', read)).toBe('v1');
    clock.now += 1;
    expect(await cache.load('k', read)).toBe('v2');
    expect(reads).toBe(2);
  });

  it('holds at most maxEntries, dropping the oldest', () => {
    const { cache } = cacheAt({ maxEntries: 3 });
    for (const k of ['a', 'b', 'c', 'd']) cache.set(k, k);
    expect(cache.size).toBe(3);
    expect(cache.get('a')).toBeUndefined();
    expect(['b', 'c', 'd'].map((k) => cache.get(k))).toEqual(['b', 'c', 'd']);
  });

  it('drops a group’s entries together, and only theirs', () => {
    const { cache } = cacheAt();
    cache.set('u1/s1', 'x', { group: 'u1' });
    cache.set('u1/s2', 'y', { group: 'u1' });
    cache.set('u2/s1', 'z', { group: 'u2' });
    cache.delete('u1');
    expect([cache.get('u1/s1'), cache.get('u1/s2'), cache.get('u2/s1')]).toEqual([undefined, undefined, 'z']);
  });

  it('with a TTL of 0 stores nothing', async () => {
    const { cache } = cacheAt({ ttlMs: 0 });
    let reads = 0;
    await cache.load('k', async () => `v${++reads}`);
    await cache.load('k', async () => `v${++reads}`);
    expect(reads).toBe(2);
    expect(cache.enabled).toBe(false);
  });

  it('does not store a read that was in flight when its group was invalidated', async () => {
    const { cache } = cacheAt();
    const stale = pendingRead('before the change');
    const loading = cache.load('u1/s1', stale.read, 'u1');
    cache.delete('u1');
    stale.finish();
    // The caller still gets what it read (it started before the change); the cache keeps nothing.
    expect(await loading).toBe('before the change');
    expect(cache.get('u1/s1')).toBeUndefined();
    expect(await cache.load('u1/s1', async () => 'after', 'u1')).toBe('after');
    expect(cache.get('u1/s1')).toBe('after');
  });

  it('stores a read that began after the invalidation', async () => {
    const { cache } = cacheAt();
    cache.delete('u1');
    const since = cache.begin();
    expect(cache.set('u1/s1', 'fresh', { group: 'u1', since })).toBe(true);
    expect(cache.get('u1/s1')).toBe('fresh');
  });

  it('lets another group’s in-flight read store', async () => {
    const { cache } = cacheAt();
    const other = pendingRead('u2 state');
    const loading = cache.load('u2/s1', other.read, 'u2');
    cache.delete('u1');
    other.finish();
    await loading;
    expect(cache.get('u2/s1')).toBe('u2 state');
  });

  it('refuses every in-flight read after clear()', async () => {
    const { cache } = cacheAt();
    const since = cache.begin();
    cache.clear();
    expect(cache.set('k', 'old', { since })).toBe(false);
    expect(cache.get('k')).toBeUndefined();
  });

  it('stays safe once old invalidation marks are forgotten (bounded): older reads are refused', () => {
    const { cache } = cacheAt({ maxEntries: 2 });
    const since = cache.begin();
    cache.delete('g1');
    cache.delete('g2');
    cache.delete('g3'); // g1's mark is dropped to keep the bound
    expect(cache.set('k1', 'old', { group: 'g1', since })).toBe(false);
    expect(cache.set('k4', 'old', { group: 'g4', since })).toBe(false);
    expect(cache.set('k4', 'new', { group: 'g4', since: cache.begin() })).toBe(true);
  });
});
