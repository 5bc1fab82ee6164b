import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { buildApiKey, buildCrew, buildTeam } from '../../../support/factories.ts';
import { expectError, expectHidden, expectInvalidField } from '../../../support/expect-error.ts';
import { startTestServer, type TestServer } from '../../../support/server.ts';

let server: TestServer;
let crew: Awaited<ReturnType<typeof buildCrew>>;
beforeAll(async () => {
  server = await startTestServer();
  crew = await buildCrew(server);
});
afterAll(() => server.close());

describe('GET /api/teams', () => {
  it('requires authentication', async () => {
    expectError(await server.api.get('/api/teams'), 401, 'unauthenticated');
  });
  it("lists only the caller's teams with their role", async () => {
    const res = await server.api.as(crew.viewer).get('/api/teams');
    expect(res.status).toBe(200);
    expect(res.body.items).toEqual([expect.objectContaining({ id: crew.team.id, role: 'viewer' })]);
  });
  it('shows an API key only its own team', async () => {
    const key = await buildApiKey(server, crew.team, crew.admin, ['read']);
    const res = await server.api.as(key).get('/api/teams');
    expect(res.body.items.map((t: { id: string }) => t.id)).toEqual([crew.team.id]);
  });
});

describe('POST /api/teams', () => {
  it('requires authentication', async () => {
    expectError(await server.api.post('/api/teams', { name: 'x' }), 401, 'unauthenticated');
  });
  it('names the invalid field', async () => {
    expectInvalidField(await server.api.as(crew.owner).post('/api/teams', { name: 42 }), 'name');
    expectInvalidField(await server.api.as(crew.owner).post('/api/teams', { name: 'ok', slug: 'Not A Slug' }), 'slug');
  });
  it('makes the creator owner and derives a unique slug', async () => {
    const a = await server.api.as(crew.editor).post('/api/teams', { name: 'Design Ops' });
    const b = await server.api.as(crew.editor).post('/api/teams', { name: 'Design Ops' });
    expect(a.status).toBe(201);
    expect(a.body).toMatchObject({ name: 'Design Ops', role: 'owner' });
    expect(a.body.slug).toMatch(/^design-ops/);
    expect(b.body.slug).not.toBe(a.body.slug);
  });
  it('refuses a taken explicit slug', async () => {
    const slug = `taken-${Date.now()}`;
    await server.api.as(crew.owner).post('/api/teams', { name: 'One', slug });
    expectError(await server.api.as(crew.owner).post('/api/teams', { name: 'Two', slug }), 409, 'slug_taken');
  });
  it('refuses API keys: teams belong to people', async () => {
    const key = await buildApiKey(server, crew.team, crew.admin, ['admin']);
    expectError(await server.api.as(key).post('/api/teams', { name: 'Bot team' }), 403, 'user_required');
  });
});

describe('GET /api/teams/:id', () => {
  it('requires authentication', async () => {
    expectError(await server.api.get(`/api/teams/${crew.team.id}`), 401, 'unauthenticated');
  });
  it('hides other teams exactly like missing ones', async () => {
    const other = await server.api.as(crew.outsider).get(`/api/teams/${crew.team.id}`);
    const missing = await server.api.as(crew.outsider).get(`/api/teams/${randomUUID()}`);
    const malformed = await server.api.as(crew.outsider).get('/api/teams/not-a-uuid');
    expectHidden(other);
    expect(missing.body).toEqual(other.body);
    expect(malformed.body).toEqual(other.body);
  });
  it('shows a member the team', async () => {
    const res = await server.api.as(crew.viewer).get(`/api/teams/${crew.team.id}`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id: crew.team.id, role: 'viewer' });
  });
});

describe('PUT /api/teams/:id', () => {
  it('requires authentication', async () => {
    expectError(await server.api.put(`/api/teams/${crew.team.id}`, { name: 'x' }), 401, 'unauthenticated');
  });
  it('is 404 for another team', async () => {
    expectHidden(await server.api.as(crew.outsider).put(`/api/teams/${crew.team.id}`, { name: 'x' }));
  });
  it('is 403 below admin', async () => {
    expectError(await server.api.as(crew.editor).put(`/api/teams/${crew.team.id}`, { name: 'x' }), 403, 'forbidden');
  });
  it('names the invalid field', async () => {
    expectInvalidField(await server.api.as(crew.admin).put(`/api/teams/${crew.team.id}`, { name: '' }), 'name');
  });
  it('lets an admin rename', async () => {
    const res = await server.api.as(crew.admin).put(`/api/teams/${crew.team.id}`, { name: 'Renamed' });
    expect(res.status).toBe(200);
    expect(res.body.name).toBe('Renamed');
  });
  it('refuses a read-scoped API key and accepts an admin one', async () => {
    const read = await buildApiKey(server, crew.team, crew.admin, ['read']);
    const admin = await buildApiKey(server, crew.team, crew.admin, ['admin']);
    expectError(
      await server.api.as(read).put(`/api/teams/${crew.team.id}`, { name: 'By key' }),
      403,
      'insufficient_scope',
    );
    expect((await server.api.as(admin).put(`/api/teams/${crew.team.id}`, { name: 'By key' })).status).toBe(200);
  });
});

describe('DELETE /api/teams/:id', () => {
  it('requires authentication', async () => {
    expectError(await server.api.delete(`/api/teams/${crew.team.id}`), 401, 'unauthenticated');
  });
  it('is 404 for another team', async () => {
    expectHidden(await server.api.as(crew.outsider).delete(`/api/teams/${crew.team.id}`));
  });
  it('is 403 for an admin: only owners delete', async () => {
    expectError(await server.api.as(crew.admin).delete(`/api/teams/${crew.team.id}`), 403, 'forbidden');
  });
  it('lets the owner delete, and the team is gone', async () => {
    const team = await buildTeam(server, crew.owner);
    expect((await server.api.as(crew.owner).delete(`/api/teams/${team.id}`)).status).toBe(204);
    expectHidden(await server.api.as(crew.owner).get(`/api/teams/${team.id}`));
  });
});
