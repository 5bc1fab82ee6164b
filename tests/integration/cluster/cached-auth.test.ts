// The per-request caches (session state, a team's webhooks) never outlive a change made on another
// node: two nodes on one database and one Redis, a change on B, and A's very next request or event
// sees it — with caches long enough (a minute) that only the cross-node invalidation can explain it.
import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { testRun } from '../../support/database.ts';
import { expectError } from '../../support/expect-error.ts';
import { addMember, buildDesignSystem, buildTeam, buildUser, type TestUser } from '../../support/factories.ts';
import { eventually, sleep } from '../../support/realtime.ts';
import { startTestServer, type TestServer } from '../../support/server.ts';

let a: TestServer;
let b: TestServer;
let receiver: Server;
let receiverUrl: string;
const received: { path: string; event: string; name?: string }[] = [];

beforeAll(async () => {
  receiver = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      const parsed = JSON.parse(body) as { event: string; data: { changes?: { name?: string } } };
      received.push({
        path: req.url ?? '',
        event: parsed.event,
        ...(parsed.data.changes?.name ? { name: parsed.data.changes.name } : {}),
      });
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((ok) => receiver.listen(0, '127.0.0.1', ok));
  receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
  const shared = {
    REDIS_KEY_PREFIX: `${testRun()}:caches:${randomBytes(4).toString('hex')}:`,
    JWT_SECRET: randomBytes(32).toString('hex'),
    SESSION_CACHE_MS: '60000',
    WEBHOOK_CACHE_MS: '60000',
    OUTBOUND_ALLOW_HOSTS: '127.0.0.1',
    WEBHOOK_RETRY_BASE_MS: '20',
  };
  // One after the other: the first clones the worker database, the second reuses it.
  a = await startTestServer(shared);
  b = await startTestServer(shared);
});

afterAll(async () => {
  await Promise.all([a?.close(), b?.close()]);
  receiver?.closeAllConnections();
  await new Promise<void>((ok) => (receiver ? receiver.close(() => ok()) : ok()));
});

/** An owner with a team and a design system, and `member` in it with `role`. */
async function teamWith(member: TestUser, role: 'editor' | 'viewer') {
  const owner = await buildUser(a);
  const team = await buildTeam(a, owner);
  await addMember(a, team, owner, member, role);
  const ds = await buildDesignSystem(a, team, owner);
  return { owner, team, ds };
}

describe('session state cached on node A', () => {
  it('ends at a logout on node B: the very next request on A is refused', async () => {
    const user = await buildUser(a);
    expect((await a.api.as(user).get('/api/auth/me')).status).toBe(200);
    expect((await a.api.as(user).get('/api/auth/me')).status).toBe(200);
    expect((await b.api.post('/api/auth/logout', { refreshToken: user.refreshToken })).status).toBe(204);
    expectError(await a.api.as(user).get('/api/auth/me'), 401, 'invalid_token');
  });

  it('ends at refresh-token reuse detected on node B', async () => {
    const user = await buildUser(a);
    const rotated = await b.api.post('/api/auth/refresh', { refreshToken: user.refreshToken });
    expect(rotated.status).toBe(200);
    expect((await a.api.as(rotated.body.accessToken).get('/api/auth/me')).status).toBe(200);
    // Replayed after the grace window: the family dies, on every node.
    await b.db.refreshToken.updateMany({
      where: { userId: user.id, usedAt: { not: null } },
      data: { usedAt: new Date(0) },
    });
    expectError(
      await b.api.post('/api/auth/refresh', { refreshToken: user.refreshToken }),
      401,
      'refresh_token_reused',
    );
    expectError(await a.api.as(rotated.body.accessToken).get('/api/auth/me'), 401, 'invalid_token');
  });

  it('loses a removed member’s access at once', async () => {
    const member = await buildUser(a);
    const { owner, team, ds } = await teamWith(member, 'editor');
    expect((await a.api.as(member).get(`/api/design-systems/${ds.id}`)).status).toBe(200);
    expect((await b.api.as(owner).delete(`/api/teams/${team.id}/members/${member.id}`)).status).toBe(204);
    expectError(await a.api.as(member).get(`/api/design-systems/${ds.id}`), 404, 'not_found');
  });

  it('refuses a write right after a downgrade to viewer', async () => {
    const member = await buildUser(a);
    const { owner, team, ds } = await teamWith(member, 'editor');
    expect((await a.api.as(member).put(`/api/design-systems/${ds.id}`, { name: 'Edited' })).status).toBe(200);
    const demoted = await b.api.as(owner).patch(`/api/teams/${team.id}/members/${member.id}`, { role: 'viewer' });
    expect(demoted.status).toBe(200);
    expectError(await a.api.as(member).put(`/api/design-systems/${ds.id}`, { name: 'Again' }), 403, 'forbidden');
  });

  it('grants a new member access at once (added, or a team of one’s own made, on B)', async () => {
    const member = await buildUser(a);
    const owner = await buildUser(a);
    const team = await buildTeam(a, owner);
    const ds = await buildDesignSystem(a, team, owner);
    expectError(await a.api.as(member).get(`/api/design-systems/${ds.id}`), 404, 'not_found');
    await addMember(b, team, owner, member, 'viewer');
    expect((await a.api.as(member).get(`/api/design-systems/${ds.id}`)).status).toBe(200);
    const own = await buildTeam(b, member);
    const mine = await a.api.as(member).post('/api/design-systems', { teamId: own.id, name: 'Mine' });
    expect(mine.status).toBe(201);
  });

  it('keeps serving a live session from the cache (no change, no read)', async () => {
    const user = await buildUser(a);
    expect((await a.api.as(user).get('/api/auth/me')).status).toBe(200);
    // Revoked behind the services' back: nobody announces it, so A's cached state stands until its TTL.
    await a.db.refreshToken.updateMany({ where: { userId: user.id }, data: { revokedAt: new Date() } });
    expect((await a.api.as(user).get('/api/auth/me')).status).toBe(200);
    expectError(await b.api.as(user).get('/api/auth/me'), 401, 'invalid_token');
  });
});

describe('webhooks cached on node A', () => {
  it('delivers from A to an endpoint created on B at once, and not to one disabled or deleted on B', async () => {
    const owner = await buildUser(a);
    const team = await buildTeam(a, owner);
    const ds = await buildDesignSystem(a, team, owner);
    const hooks = `/api/teams/${team.id}/webhooks`;
    const rename = async (name: string) => {
      expect((await a.api.as(owner).put(`/api/design-systems/${ds.id}`, { name })).status).toBe(200);
      await a.services.events.drain();
    };
    const got = (path: string, name: string) => received.some((r) => r.path === path && r.name === name);
    const sentinel = await a.api.as(owner).post(hooks, { url: `${receiverUrl}/sentinel-${team.id}`, events: ['*'] });
    expect(sentinel.status).toBe(201);
    // A reads (and caches) the team's endpoints: the sentinel only.
    await rename('first');
    await eventually(() => got(`/sentinel-${team.id}`, 'first'));

    const late = await b.api
      .as(owner)
      .post(hooks, { url: `${receiverUrl}/late-${team.id}`, events: ['designSystem.updated'] });
    expect(late.status).toBe(201);
    await rename('second');
    await eventually(() => got(`/late-${team.id}`, 'second'));

    const off = await b.api.as(owner).patch(`${hooks}/${late.body.webhook.id}`, { active: false });
    expect(off.status).toBe(200);
    await rename('third');
    await eventually(() => got(`/sentinel-${team.id}`, 'third'));
    const deliveries = await a.api.as(owner).get(`${hooks}/${late.body.webhook.id}/deliveries`);
    // No delivery was even queued for the disabled endpoint (a stale list would log a failed one).
    expect(deliveries.body.items.map((d: { event: string }) => d.event)).toEqual(['designSystem.updated']);

    expect((await b.api.as(owner).delete(`${hooks}/${late.body.webhook.id}`)).status).toBe(204);
    await rename('fourth');
    await eventually(() => got(`/sentinel-${team.id}`, 'fourth'));
    await sleep(100);
    expect(received.filter((r) => r.path === `/late-${team.id}`).map((r) => r.name)).toEqual(['second']);
  });
});

describe('design-system rows cached on node A', () => {
  it('shows a rename made on B at once, and answers 404 right after a deletion on B', async () => {
    const owner = await buildUser(a);
    const team = await buildTeam(a, owner);
    const ds = await buildDesignSystem(a, team, owner);
    const path = `/api/design-systems/${ds.id}`;
    expect((await a.api.as(owner).get(path)).body.name).toBe(ds.name);
    expect((await b.api.as(owner).put(path, { name: 'Renamed on B' })).status).toBe(200);
    expect((await a.api.as(owner).get(path)).body.name).toBe('Renamed on B');
    expect((await b.api.as(owner).delete(path)).status).toBe(204);
    expectError(await a.api.as(owner).get(path), 404, 'not_found');
  });

  it('finds a design system created on B at once (a miss is never cached)', async () => {
    const owner = await buildUser(a);
    const team = await buildTeam(a, owner);
    const unknown = '00000000-0000-4000-8000-000000000000';
    expectError(await a.api.as(owner).get(`/api/design-systems/${unknown}`), 404, 'not_found');
    const ds = await buildDesignSystem(b, team, owner);
    expect((await a.api.as(owner).get(`/api/design-systems/${ds.id}`)).status).toBe(200);
  });
});
