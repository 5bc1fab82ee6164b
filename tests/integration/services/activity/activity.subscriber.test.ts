// The activity log's subscriber on a bus of its own, writing through a proxy that counts the
// statements on the wire and can cut the database off: events of one turn (or a few ms) share one INSERT, keep
// their order, time and payload; a deleted team's or user's event and a malformed one do not keep
// the others out; an outage is retried, and a long one ends at the bus's onError.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { createDb, type Db } from '../../../../src/models/db.ts';
import { subscribeActivityLog } from '../../../../src/services/activity/activity.subscriber.ts';
import { type DomainEvent, type EventActor, EventBus } from '../../../../src/services/events/bus.ts';
import { buildTeam, buildUser, type TestTeam, type TestUser } from '../../../support/factories.ts';
import { pgWireProxy, type PgWireProxy } from '../../../support/pg-wire-proxy.ts';
import { startTestServer, type TestServer } from '../../../support/server.ts';

let server: TestServer;
let proxy: PgWireProxy;
let db: Db;
let bus: EventBus;
let owner: TestUser;
let team: TestTeam;
let failures: { err: unknown; event: DomainEvent }[];

beforeAll(async () => {
  server = await startTestServer();
  owner = await buildUser(server);
  team = await buildTeam(server, owner);
  proxy = await pgWireProxy(server.config.DATABASE_URL as string);
  db = createDb(proxy.url, 4);
  bus = new EventBus((err, event) => failures.push({ err, event }));
  subscribeActivityLog(bus, db);
  await db.$executeRawUnsafe('SELECT 1'); // opens a connection: its handshake is not a test's
}, 30_000);

afterAll(async () => {
  await db?.$disconnect();
  await proxy?.close();
  await server?.close();
});

beforeEach(() => {
  failures = [];
  proxy.restore();
  proxy.reset();
});

/** A tag for one test's rows. */
const actor = (userId: string | null = owner.id): EventActor => ({ userId, requestId: `req-${randomUUID()}` });

const componentUpdated = (teamId: string, i: number, componentId: string = randomUUID()) => ({
  teamId,
  designSystemId: randomUUID(),
  componentId,
  fields: ['code'],
  version: i,
});

const rowsOf = (requestId: string | undefined) =>
  server.db.activityLog.findMany({ where: { requestId }, orderBy: [{ createdAt: 'desc' }, { id: 'desc' }] });

describe('the activity subscriber', () => {
  it('writes the events of one turn with one INSERT, newest first, with their time and payload', async () => {
    const who = actor();
    const seen: DomainEvent<'component.updated'>[] = [];
    const stop = bus.on('component.updated', (event) => void seen.push(event));
    for (let i = 0; i < 150; i++) bus.publish('component.updated', componentUpdated(team.id, i), who);
    stop();
    await bus.drain();

    expect(failures).toEqual([]);
    expect(proxy.statements()).toBe(1);
    const rows = await rowsOf(who.requestId);
    // The feed's order: the last published first, however many share a millisecond.
    expect(rows).toEqual(
      seen.reverse().map((event) =>
        expect.objectContaining({
          teamId: team.id,
          userId: owner.id,
          apiKeyId: null,
          designSystemId: event.payload.designSystemId,
          action: 'component.updated',
          resourceType: 'component',
          resourceId: event.payload.componentId,
          metadata: event.payload,
          requestId: who.requestId,
          createdAt: event.at,
        }),
      ),
    );
  });

  it('writes more than a batch holds in batches of 200, in order', async () => {
    const who = actor();
    const ids = Array.from({ length: 450 }, () => randomUUID());
    for (const [i, id] of ids.entries()) bus.publish('component.updated', componentUpdated(team.id, i, id), who);
    await bus.drain();
    expect(failures).toEqual([]);
    expect(proxy.statements()).toBe(3);
    expect((await rowsOf(who.requestId)).map((r) => r.resourceId)).toEqual(ids.reverse());
  });

  it('lets rows of the turns that follow within the window share the next INSERT', async () => {
    // A window far longer than this test's spacing, so a slow machine cannot stretch past it.
    const windowed = new EventBus((err, event) => failures.push({ err, event }));
    subscribeActivityLog(windowed, db, { windowMs: 300 });
    const who = actor();
    const ids = Array.from({ length: 4 }, () => randomUUID());
    // Spaced wider than an INSERT takes: without the window, each row would have its own.
    for (const [i, id] of ids.entries()) {
      if (i > 0) await new Promise((next) => setTimeout(next, 10));
      windowed.publish('component.updated', componentUpdated(team.id, i, id), who);
    }
    await windowed.drain();
    expect(failures).toEqual([]);
    // The first alone at the end of its turn (nothing waits after a quiet spell), the others together.
    expect(proxy.statements()).toBe(2);
    expect((await rowsOf(who.requestId)).map((r) => r.resourceId)).toEqual(ids.reverse());
  });

  it("drops a deleted team's event, keeps a deleted user's without them, and fails only a malformed one", async () => {
    const gone = await buildTeam(server, owner);
    await server.db.team.delete({ where: { id: gone.id } });
    const leaver = await buildUser(server);
    await server.db.user.delete({ where: { id: leaver.id } });
    const who = actor();
    const byLeaver = { ...actor(leaver.id), requestId: who.requestId };
    const kept = [randomUUID(), randomUUID(), randomUUID()];
    const left = randomUUID();

    bus.publish('component.updated', componentUpdated(team.id, 1, kept[0]), who);
    bus.publish('component.updated', componentUpdated(gone.id, 2), who);
    bus.publish('component.updated', componentUpdated(team.id, 3, kept[1]), who);
    bus.publish('component.updated', componentUpdated(team.id, 4, 'not-a-uuid'), who);
    bus.publish('component.updated', componentUpdated(team.id, 5, left), byLeaver);
    bus.publish('component.updated', componentUpdated(team.id, 6, kept[2]), who);
    await bus.drain();

    expect(failures.map((f) => f.event.payload)).toEqual([expect.objectContaining({ componentId: 'not-a-uuid' })]);
    const rows = await rowsOf(who.requestId);
    expect(rows.map((r) => [r.resourceId, r.userId])).toEqual([
      [kept[2], owner.id],
      [left, null],
      [kept[1], owner.id],
      [kept[0], owner.id],
    ]);
  });

  it('retries through an outage of a second: the rows are written once the database is back', async () => {
    proxy.cut();
    const who = actor();
    const ids = [randomUUID(), randomUUID(), randomUUID()];
    for (const [i, id] of ids.entries()) bus.publish('component.updated', componentUpdated(team.id, i, id), who);
    setTimeout(() => proxy.restore(), 1000);
    await bus.drain();
    expect(failures).toEqual([]);
    expect((await rowsOf(who.requestId)).map((r) => r.resourceId)).toEqual(ids.reverse());
  });

  it("hands each event to the bus's onError when the outage outlasts the retries (~2 s), then recovers", async () => {
    proxy.cut();
    const who = actor();
    const started = performance.now();
    for (let i = 0; i < 3; i++) bus.publish('component.updated', componentUpdated(team.id, i), who);
    await bus.drain();
    expect(performance.now() - started).toBeGreaterThan(1900);
    expect(failures.map((f) => (f.event.payload as { teamId: string }).teamId)).toEqual([team.id, team.id, team.id]);

    proxy.restore();
    bus.publish('component.updated', componentUpdated(team.id, 9), who);
    await bus.drain();
    expect(await rowsOf(who.requestId)).toEqual([
      expect.objectContaining({ metadata: expect.objectContaining({ version: 9 }) }),
    ]);
  });

  it('refuses rows at once past its backlog during an outage, rather than pile them up', async () => {
    proxy.cut();
    const small = new EventBus((err, event) => failures.push({ err, event }));
    subscribeActivityLog(small, db, { maxQueued: 2, retryDelaysMs: [] });
    const who = actor();
    for (let i = 0; i < 3; i++) small.publish('component.updated', componentUpdated(team.id, i), who);
    await small.drain();
    // The third refused first, before the first two were even tried; those failed on the outage.
    expect(failures.map((f) => [(f.event.payload as { version: number }).version, String(f.err)])).toEqual([
      [2, expect.stringContaining('backlog full')],
      [0, expect.not.stringContaining('backlog')],
      [1, expect.not.stringContaining('backlog')],
    ]);
  });
});

describe('the activity feed', () => {
  it('sees the rows queued before a read, without waiting for the bus', async () => {
    const who = actor();
    const componentId = randomUUID();
    server.services.events.publish('component.updated', componentUpdated(team.id, 1, componentId), who);
    const page = await server.services.activity.list(
      { kind: 'user', userId: owner.id, roles: new Map([[team.id, 'owner']]) },
      team.id,
      { action: 'component.updated', limit: 5 },
    );
    expect(page.items[0]).toMatchObject({ resourceId: componentId, requestId: who.requestId });
  });

  it('is written before the server closes its database', async () => {
    const other = await startTestServer();
    const who = actor();
    const componentId = randomUUID();
    other.services.events.publish('component.updated', componentUpdated(team.id, 1, componentId), who);
    await other.close();
    expect(await rowsOf(who.requestId)).toEqual([expect.objectContaining({ resourceId: componentId })]);
  }, 30_000);
});
