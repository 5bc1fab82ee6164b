// The cache invalidation channel over a real Redis: a node's own subscribers hear it synchronously,
// the other nodes over pub/sub; a dropped subscription clears everything (twice: when it drops and
// when it is back) and nothing is cached meanwhile; an invalidation from another node wins over a
// read that was in flight on this one.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  redisInvalidation,
  type CacheInvalidation,
  localInvalidation,
} from '../../../src/models/cache-invalidation.ts';
import { createRedis, type Redis } from '../../../src/models/redis.ts';
import { SessionCache, type SessionState } from '../../../src/services/auth/session-cache.ts';
import { testRedisUrl, testRun } from '../../support/database.ts';
import { eventually } from '../../support/realtime.ts';

const connections: Redis[] = [];
const channels: CacheInvalidation[] = [];
const prefix = `${testRun()}:invalidation:${randomBytes(4).toString('hex')}:`;

/** A node's channel: its own publisher and subscriber connections. */
async function node(on = prefix): Promise<{ channel: CacheInvalidation; subscriber: Redis }> {
  const publisher = createRedis(testRedisUrl(), { keyPrefix: on });
  const subscriber = createRedis(testRedisUrl());
  connections.push(publisher, subscriber);
  await Promise.all([publisher.connect(), subscriber.connect()]);
  const channel = await redisInvalidation(publisher, subscriber, on);
  channels.push(channel);
  return { channel, subscriber };
}

/** What a channel delivered, by kind and key. */
function heard(channel: CacheInvalidation): string[] {
  const got: string[] = [];
  channel.on('session', (key) => got.push(`session:${key}`));
  channel.on('webhooks', (key) => got.push(`webhooks:${key}`));
  channel.onReset(() => got.push('reset'));
  return got;
}

let a: Awaited<ReturnType<typeof node>>;
let b: Awaited<ReturnType<typeof node>>;

beforeAll(async () => {
  a = await node();
  b = await node();
});

afterAll(async () => {
  for (const c of channels) await c.close();
  for (const r of connections) r.disconnect();
});

describe('redisInvalidation', () => {
  it('delivers to this node synchronously and to the others over Redis, once each', async () => {
    const onA = heard(a.channel);
    const onB = heard(b.channel);
    const sent = b.channel.invalidate('session', 'user-1');
    expect(onB).toEqual(['session:user-1']);
    await sent;
    await eventually(() => onA.length > 0);
    await b.channel.invalidate('webhooks', 'team-1');
    await eventually(() => onA.length > 1);
    expect(onA).toEqual(['session:user-1', 'webhooks:team-1']);
    expect(onB).toEqual(['session:user-1', 'webhooks:team-1']);
  });

  it('reads buffers only: the shared connection’s binary messages (documents) are never decoded for it', () => {
    // ioredis turns every message into strings as soon as one 'message' listener exists.
    expect(a.subscriber.listenerCount('message')).toBe(0);
    expect(a.subscriber.listenerCount('messageBuffer')).toBe(1);
  });

  it('keeps clusters with other prefixes apart', async () => {
    const other = await node(`${prefix}other:`);
    const onOther = heard(other.channel);
    const onA = heard(a.channel);
    await b.channel.invalidate('session', 'user-2');
    await eventually(() => onA.includes('session:user-2'));
    expect(onOther).toEqual([]);
  });

  it('clears everything when the subscription drops and again once it is back, caching nothing meanwhile', async () => {
    const onA = heard(a.channel);
    expect(a.channel.listening()).toBe(true);
    a.subscriber.disconnect(true);
    await eventually(() => onA.includes('reset'));
    expect(a.channel.listening()).toBe(false);
    await eventually(() => a.channel.listening(), 10_000);
    expect(onA).toEqual(['reset', 'reset']);
    // Subscribed again: the other node's invalidations arrive.
    await b.channel.invalidate('session', 'user-3');
    await eventually(() => onA.includes('session:user-3'));
  });
});

describe('SessionCache over the channel', () => {
  const live: SessionState = { ended: false, roles: new Map([['team-1', 'editor']]) };
  const ended: SessionState = { ended: true, roles: new Map() };

  it('does not store a read in flight on A when B invalidates the user meanwhile', async () => {
    const cacheA = new SessionCache(a.channel, 60_000);
    const cacheB = new SessionCache(b.channel, 60_000);
    let finish: () => void = () => undefined;
    let reads = 0;
    const slowRead = () => {
      reads += 1;
      return new Promise<SessionState>((ok) => (finish = () => ok(live)));
    };
    const inFlight = cacheA.state('u-4', 's-1', slowRead);
    const onA = heard(a.channel);
    await cacheB.invalidate('u-4');
    await eventually(() => onA.includes('session:u-4'));
    finish();
    expect((await inFlight).ended).toBe(false);
    // Not stored: the next request reads again and sees the session ended.
    const after = await cacheA.state('u-4', 's-1', async () => {
      reads += 1;
      return ended;
    });
    expect(after.ended).toBe(true);
    expect(reads).toBe(2);
    // That answer is cached.
    expect((await cacheA.state('u-4', 's-1', async () => live)).ended).toBe(true);
  });

  it('hands out copies of the roles: a caller changing its map changes nobody else’s', async () => {
    const cache = new SessionCache(localInvalidation(), 60_000);
    const first = await cache.state('u-5', 's-1', async () => ({ ended: false, roles: new Map([['t', 'viewer']]) }));
    first.roles.set('t', 'owner');
    const second = await cache.state('u-5', 's-1', async () => live);
    expect(second.roles.get('t')).toBe('viewer');
  });
});
