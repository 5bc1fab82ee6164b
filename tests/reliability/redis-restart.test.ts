// Redis restarts without its data (no persistence) while users stay connected: each node puts back
// the presence and the locks its connections hold, so the room, REST and the lock guard see the
// same state as before; a lock that is lost anyway is announced to the room and its holder.
import { afterAll, afterEach, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { Redis } from 'ioredis';
import { buildComponent, buildCrew, buildDesignSystem } from '../support/factories.ts';
import { ownRedis, type OwnRedis } from '../support/own-redis.ts';
import { call, eventually, joinDesignSystem, next, type Client } from '../support/realtime.ts';
import { startTestServer, type TestServer } from '../support/server.ts';

let redis: OwnRedis;
let server: TestServer;
let crew: Awaited<ReturnType<typeof buildCrew>>;
let ds: { id: string };
let open: Client[] = [];

beforeAll(async () => {
  redis = await ownRedis();
  // A short lock TTL: the heartbeat (a third of it) runs every second.
  server = await startTestServer({ REDIS_URL: redis.url, LOCK_TTL_SECONDS: '3', PRESENCE_TTL_SECONDS: '30' });
  crew = await buildCrew(server);
  ds = await buildDesignSystem(server, crew.team, crew.editor);
}, 30_000);
afterEach(() => {
  for (const c of open) c.close();
  open = [];
});
afterAll(async () => {
  await server?.close();
  await redis?.stop();
});

const presenceOf = async () => (await server.api.as(crew.admin).get(`/api/design-systems/${ds.id}/presence`)).body;

describe('Redis restart without its data', () => {
  it('presence (with status) and locks are put back at once, and the lock still holds against others', async () => {
    const c = await buildComponent(server, ds.id, crew.editor);
    const holder = (await joinDesignSystem(server, crew.editor, ds.id, open)).socket;
    expect((await call(holder, 'component-edit-start', { componentId: c.id })).ok).toBe(true);
    expect((await call(holder, 'user-status', { status: 'idle' })).ok).toBe(true);
    const before = await presenceOf();
    expect(before.users).toEqual([expect.objectContaining({ status: 'idle', connections: 1 })]);
    expect(before.locks).toHaveLength(1);

    // ioredis prints "[ioredis] Unhandled error event" for every failed reconnect of a connection
    // that has no error handler; every connection here has one.
    const printed: string[] = [];
    const spy = jest
      .spyOn(console, 'error')
      .mockImplementation((...args: unknown[]) => void printed.push(args.map(String).join(' ')));
    const restartedAt = performance.now();
    await redis.stop();
    await new Promise((r) => setTimeout(r, 1500));
    await redis.start();
    // The node notices the empty Redis when it reconnects and puts back what it holds.
    await eventually(
      async () => {
        const now = await presenceOf();
        return now.users?.length === 1 && now.locks?.length === 1;
      },
      10_000,
      50,
    );
    const restoredMs = performance.now() - restartedAt - 1500;
    spy.mockRestore();
    expect(printed.filter((line) => line.includes('ioredis'))).toEqual([]);
    const after = await presenceOf();
    expect(after.users).toEqual([
      expect.objectContaining({ user: expect.objectContaining({ id: crew.editor.id }), status: 'idle' }),
    ]);
    expect(after.locks).toEqual([expect.objectContaining({ componentId: c.id, userId: crew.editor.id })]);

    // The lock is still a lock: another user is refused over sockets and REST.
    const other = (await joinDesignSystem(server, crew.admin, ds.id, open)).socket;
    expect((await call(other, 'component-edit-start', { componentId: c.id })).error).toMatchObject({ code: 'locked' });
    expect(
      (await server.api.as(crew.admin).put(`/api/design-systems/${ds.id}/components/${c.id}`, { code: 'x' })).status,
    ).toBe(423);
    console.log(
      `redis restart: presence and lock back ${restoredMs.toFixed(0)} ms after Redis, down 1.5 s, started again empty`,
    );
  }, 30_000);

  it('a lock that is lost (its lease gone without a reset) is announced to the room, naming the former holder', async () => {
    const c = await buildComponent(server, ds.id, crew.editor);
    const holder = (await joinDesignSystem(server, crew.editor, ds.id, open)).socket;
    expect((await call(holder, 'component-edit-start', { componentId: c.id })).ok).toBe(true);
    const unlocked = next(holder, 'component-unlocked', (p: { componentId: string }) => p.componentId === c.id, 8000);
    // As if the lease had run out while the holder's node was stalled: the key disappears.
    const direct = new Redis(redis.url);
    const keys = await direct.keys(`*lk:${c.id}`);
    expect(keys).toHaveLength(1);
    await direct.del(...keys);
    direct.disconnect();
    expect(await unlocked).toEqual({
      componentId: c.id,
      designSystemId: ds.id,
      formerHolder: crew.editor.id,
      reason: 'lost',
    });
    // Someone else can take it now.
    const other = (await joinDesignSystem(server, crew.admin, ds.id, open)).socket;
    expect((await call(other, 'component-edit-start', { componentId: c.id })).ok).toBe(true);
  }, 30_000);
});
