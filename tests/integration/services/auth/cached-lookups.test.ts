// The caches really save the statements they are for, counted on the wire between the server and
// PostgreSQL (tests/support/pg-wire-proxy.ts): a repeated request skips the session check, a
// repeated event skips the webhook lookup, and a change makes the next one read again.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { workerDatabaseUrl } from '../../../support/database.ts';
import { expectError } from '../../../support/expect-error.ts';
import { buildDesignSystem, buildTeam, buildUser, type TestUser } from '../../../support/factories.ts';
import { pgWireProxy, type PgWireProxy } from '../../../support/pg-wire-proxy.ts';
import { startTestServer, type TestServer } from '../../../support/server.ts';

let proxy: PgWireProxy;
let server: TestServer;

beforeAll(async () => {
  proxy = await pgWireProxy(await workerDatabaseUrl());
  // Single node: nothing else (another node, a worker) reads through this proxy.
  server = await startTestServer({ DATABASE_URL: proxy.url, REDIS_URL: '', OUTBOUND_ALLOW_HOSTS: '127.0.0.1' });
});

afterAll(async () => {
  await server?.close();
  await proxy?.close();
});

beforeEach(() => proxy.reset());

/** Statements one request (and the event handlers it set off) sends. */
async function statementsOf(request: () => Promise<unknown>): Promise<number> {
  await server.services.events.drain();
  proxy.reset();
  await request();
  await server.services.events.drain();
  return proxy.statements();
}

describe('the session cache', () => {
  let user: TestUser;
  beforeAll(async () => {
    user = await buildUser(server);
  });

  it('saves the session check of a repeated request, and reads again after a logout', async () => {
    const me = () => server.api.as(user).get('/api/auth/me');
    const first = await statementsOf(me);
    const second = await statementsOf(me);
    expect(first - second).toBe(1);
    expect(await statementsOf(me)).toBe(second);
    expect((await server.api.post('/api/auth/logout', { refreshToken: user.refreshToken })).status).toBe(204);
    proxy.reset();
    expectError(await me(), 401, 'invalid_token');
    expect(proxy.statements()).toBe(1);
  });
});

describe('the webhook cache', () => {
  it('saves the lookup of a team’s webhooks per event, and reads again once one is created', async () => {
    const owner = await buildUser(server);
    const team = await buildTeam(server, owner);
    const ds = await buildDesignSystem(server, team, owner);
    const rename = (name: string) => () => server.api.as(owner).put(`/api/design-systems/${ds.id}`, { name });
    await statementsOf(rename('warm-up')); // the session check and the team's webhooks are now cached
    const cached = await statementsOf(rename('cached'));
    expect(await statementsOf(rename('cached again'))).toBe(cached);
    const created = await server.api
      .as(owner)
      .post(`/api/teams/${team.id}/webhooks`, { url: 'http://127.0.0.1:9/hook', events: ['component.created'] });
    expect(created.status).toBe(201);
    // Read again (one statement more), and the endpoint does not want this event: nothing queued.
    expect(await statementsOf(rename('after create'))).toBe(cached + 1);
    expect(await statementsOf(rename('cached once more'))).toBe(cached);
  });
});

describe('the design-system row cache', () => {
  it('saves the access check’s row read of a repeated request, and reads again after a rename', async () => {
    const owner = await buildUser(server);
    const team = await buildTeam(server, owner);
    const ds = await buildDesignSystem(server, team, owner);
    await server.api.as(owner).get('/api/auth/me'); // the session check is cached from here
    const get = () => server.api.as(owner).get(`/api/design-systems/${ds.id}`);
    // The rename drops the team's cached rows: the first read after it goes to the database.
    await statementsOf(() => server.api.as(owner).put(`/api/design-systems/${ds.id}`, { name: 'Renamed' }));
    const first = await statementsOf(get);
    const second = await statementsOf(get);
    expect(first - second).toBe(1);
    expect((await get()).body.name).toBe('Renamed');
  });
});
