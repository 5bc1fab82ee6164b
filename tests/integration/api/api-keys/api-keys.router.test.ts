import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { buildApiKey, buildCrew } from '../../../support/factories.ts';
import { expectError, expectHidden, expectInvalidField } from '../../../support/expect-error.ts';
import { startTestServer, type TestServer } from '../../../support/server.ts';

let server: TestServer;
let crew: Awaited<ReturnType<typeof buildCrew>>;
beforeAll(async () => {
  server = await startTestServer();
  crew = await buildCrew(server);
});
afterAll(() => server.close());

const keys = (teamId: string) => `/api/teams/${teamId}/api-keys`;

describe('POST /api/teams/:id/api-keys', () => {
  it('requires authentication', async () => {
    expectError(await server.api.post(keys(crew.team.id), { name: 'ci', scopes: ['read'] }), 401, 'unauthenticated');
  });
  it('is 404 for another team', async () => {
    expectHidden(await server.api.as(crew.outsider).post(keys(crew.team.id), { name: 'ci', scopes: ['read'] }));
  });
  it('is 403 for an editor', async () => {
    expectError(
      await server.api.as(crew.editor).post(keys(crew.team.id), { name: 'ci', scopes: ['read'] }),
      403,
      'forbidden',
    );
  });
  it('names the invalid field', async () => {
    expectInvalidField(
      await server.api.as(crew.admin).post(keys(crew.team.id), { name: 'ci', scopes: ['root'] }),
      'scopes.0',
    );
    expectInvalidField(await server.api.as(crew.admin).post(keys(crew.team.id), { name: 'ci', scopes: [] }), 'scopes');
  });
  it('shows the secret once and stores only its digest', async () => {
    const res = await server.api.as(crew.admin).post(keys(crew.team.id), { name: 'ci', scopes: ['read', 'write'] });
    expect(res.status).toBe(201);
    expect(res.body.secret).toMatch(/^ens_[A-Za-z0-9]{12}_[A-Za-z0-9_-]{43}$/);
    expect(res.body.apiKey).toMatchObject({ name: 'ci', scopes: ['read', 'write'], teamId: crew.team.id });
    const row = await server.db.apiKey.findUniqueOrThrow({ where: { id: res.body.apiKey.id } });
    // `ens_<prefix>_<secret>`: the secret is base64url, so it may contain `_` itself.
    const secret = /^ens_[A-Za-z0-9]{12}_(.+)$/.exec(res.body.secret)?.[1];
    expect(secret?.length).toBeGreaterThanOrEqual(32);
    expect(JSON.stringify(row)).not.toContain(secret);
    const list = await server.api.as(crew.admin).get(keys(crew.team.id));
    expect(JSON.stringify(list.body)).not.toContain(res.body.secret);
  });
  it('does not let a key mint keys', async () => {
    const key = await buildApiKey(server, crew.team, crew.admin, ['admin']);
    expectError(
      await server.api.as(key).post(keys(crew.team.id), { name: 'child', scopes: ['admin'] }),
      403,
      'user_required',
    );
  });
});

describe('GET /api/teams/:id/api-keys', () => {
  it('requires authentication', async () => {
    expectError(await server.api.get(keys(crew.team.id)), 401, 'unauthenticated');
  });
  it('is 404 for another team', async () => {
    expectHidden(await server.api.as(crew.outsider).get(keys(crew.team.id)));
  });
  it('is 403 for a viewer', async () => {
    expectError(await server.api.as(crew.viewer).get(keys(crew.team.id)), 403, 'forbidden');
  });
  it('lists the keys for an admin', async () => {
    await buildApiKey(server, crew.team, crew.admin, ['read']);
    const res = await server.api.as(crew.admin).get(keys(crew.team.id));
    expect(res.status).toBe(200);
    expect(res.body.items.length).toBeGreaterThan(0);
    expect(res.body.items[0]).not.toHaveProperty('secretHash');
  });
});

describe('DELETE /api/teams/:id/api-keys/:keyId', () => {
  it('requires authentication, hides other teams, and needs admin', async () => {
    const secret = await buildApiKey(server, crew.team, crew.admin, ['read']);
    const { body } = await server.api.as(crew.admin).get(keys(crew.team.id));
    const id = body.items.find((k: { prefix: string }) => secret.includes(k.prefix)).id;
    expectError(await server.api.delete(`${keys(crew.team.id)}/${id}`), 401, 'unauthenticated');
    expectHidden(await server.api.as(crew.outsider).delete(`${keys(crew.team.id)}/${id}`));
    expectError(await server.api.as(crew.editor).delete(`${keys(crew.team.id)}/${id}`), 403, 'forbidden');
  });
  it('revokes: the key stops working at once', async () => {
    const secret = await buildApiKey(server, crew.team, crew.admin, ['read']);
    expect((await server.api.as(secret).get(`/api/teams/${crew.team.id}`)).status).toBe(200);
    const { body } = await server.api.as(crew.admin).get(keys(crew.team.id));
    const id = body.items.find((k: { prefix: string }) => secret.includes(k.prefix)).id;
    expect((await server.api.as(crew.admin).delete(`${keys(crew.team.id)}/${id}`)).status).toBe(204);
    expectError(await server.api.as(secret).get(`/api/teams/${crew.team.id}`), 401, 'invalid_token');
  });
});

describe('API keys as credentials', () => {
  it('read can read but not write; write can write', async () => {
    const read = await buildApiKey(server, crew.team, crew.admin, ['read']);
    const write = await buildApiKey(server, crew.team, crew.admin, ['write']);
    expect((await server.api.as(read).get(`/api/teams/${crew.team.id}/members`)).status).toBe(200);
    expectError(
      await server.api.as(read).put(`/api/teams/${crew.team.id}`, { name: 'nope' }),
      403,
      'insufficient_scope',
    );
    // A write key acts as an editor: still below team settings, but above read.
    expectError(
      await server.api.as(write).put(`/api/teams/${crew.team.id}`, { name: 'nope' }),
      403,
      'insufficient_scope',
    );
  });
  it('cannot reach another team', async () => {
    const key = await buildApiKey(server, crew.team, crew.admin, ['admin']);
    expectHidden(await server.api.as(key).get(`/api/teams/${crew.otherTeam.id}`));
  });
  it('refuses a tampered secret', async () => {
    const secret = await buildApiKey(server, crew.team, crew.admin, ['read']);
    const tampered = `${secret.slice(0, -1)}${secret.endsWith('A') ? 'B' : 'A'}`;
    expectError(await server.api.as(tampered).get('/api/teams'), 401, 'invalid_token');
  });
});
