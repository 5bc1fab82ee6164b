import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { buildApiKey, buildComponent, buildCrew, buildDesignSystem } from '../../../support/factories.ts';
import { expectError, expectHidden, expectInvalidField } from '../../../support/expect-error.ts';
import { startTestServer, type TestServer } from '../../../support/server.ts';

let server: TestServer;
let crew: Awaited<ReturnType<typeof buildCrew>>;
beforeAll(async () => {
  server = await startTestServer();
  crew = await buildCrew(server);
});
afterAll(() => server.close());

describe('POST /api/design-systems', () => {
  it('requires authentication', async () => {
    expectError(
      await server.api.post('/api/design-systems', { teamId: crew.team.id, name: 'x' }),
      401,
      'unauthenticated',
    );
  });
  it('is 404 for another team', async () => {
    expectHidden(await server.api.as(crew.outsider).post('/api/design-systems', { teamId: crew.team.id, name: 'x' }));
  });
  it('is 403 for a viewer and a read key', async () => {
    expectError(
      await server.api.as(crew.viewer).post('/api/design-systems', { teamId: crew.team.id, name: 'x' }),
      403,
      'forbidden',
    );
    const key = await buildApiKey(server, crew.team, crew.admin, ['read']);
    expectError(
      await server.api.as(key).post('/api/design-systems', { teamId: crew.team.id, name: 'x' }),
      403,
      'insufficient_scope',
    );
  });
  it('names the invalid field', async () => {
    expectInvalidField(
      await server.api.as(crew.editor).post('/api/design-systems', { teamId: crew.team.id, name: 'x', version: 'one' }),
      'version',
    );
    expectInvalidField(await server.api.as(crew.editor).post('/api/design-systems', { name: 'x' }), 'teamId');
  });
  it('creates one for an editor', async () => {
    const res = await server.api
      .as(crew.editor)
      .post('/api/design-systems', { teamId: crew.team.id, name: 'Primer', version: '1.0.0' });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ teamId: crew.team.id, name: 'Primer', version: '1.0.0', published: false });
  });
});

describe('GET /api/design-systems', () => {
  it("lists only the caller's teams' systems, paginated", async () => {
    for (let i = 0; i < 3; i++) await buildDesignSystem(server, crew.team, crew.editor);
    await buildDesignSystem(server, crew.otherTeam, crew.outsider);
    const first = await server.api.as(crew.viewer).get('/api/design-systems?limit=2');
    expect(first.status).toBe(200);
    expect(first.body.items).toHaveLength(2);
    expect(first.body.nextCursor).toEqual(expect.any(String));
    const second = await server.api
      .as(crew.viewer)
      .get(`/api/design-systems?limit=100&cursor=${first.body.nextCursor}`);
    const all = [...first.body.items, ...second.body.items];
    expect(new Set(all.map((d: { id: string }) => d.id)).size).toBe(all.length);
    expect(all.every((d: { teamId: string }) => d.teamId === crew.team.id)).toBe(true);
    expectInvalidField(await server.api.as(crew.viewer).get('/api/design-systems?cursor=garbage'), 'query.cursor');
  });
});

describe('GET/PUT/DELETE /api/design-systems/:id', () => {
  it('hides other teams and checks roles', async () => {
    const ds = await buildDesignSystem(server, crew.team, crew.editor);
    expectError(await server.api.get(`/api/design-systems/${ds.id}`), 401, 'unauthenticated');
    expectHidden(await server.api.as(crew.outsider).get(`/api/design-systems/${ds.id}`));
    expectHidden(await server.api.as(crew.outsider).get(`/api/design-systems/${randomUUID()}`));
    expectHidden(await server.api.as(crew.outsider).put(`/api/design-systems/${ds.id}`, { name: 'x' }));
    expectError(await server.api.as(crew.viewer).put(`/api/design-systems/${ds.id}`, { name: 'x' }), 403, 'forbidden');
    expectError(await server.api.as(crew.editor).delete(`/api/design-systems/${ds.id}`), 403, 'forbidden');
    expectInvalidField(
      await server.api.as(crew.editor).put(`/api/design-systems/${ds.id}`, { version: 'x' }),
      'version',
    );
  });
  it('updates and deletes', async () => {
    const ds = await buildDesignSystem(server, crew.team, crew.editor);
    const put = await server.api
      .as(crew.editor)
      .put(`/api/design-systems/${ds.id}`, { name: 'Renamed', version: '2.0.0' });
    expect(put.body).toMatchObject({ name: 'Renamed', version: '2.0.0' });
    expect((await server.api.as(crew.admin).delete(`/api/design-systems/${ds.id}`)).status).toBe(204);
    expectHidden(await server.api.as(crew.admin).get(`/api/design-systems/${ds.id}`));
  });
});

describe('GET /api/design-systems/:id/export', () => {
  it('exports components with code, docs and props', async () => {
    const ds = await buildDesignSystem(server, crew.team, crew.editor);
    await buildComponent(server, ds.id, crew.editor, {
      name: 'Card',
      documentation: '# Card',
      props: { elevated: { type: 'boolean' } },
    });
    expectHidden(await server.api.as(crew.outsider).get(`/api/design-systems/${ds.id}/export`));
    const res = await server.api.as(crew.viewer).get(`/api/design-systems/${ds.id}/export`);
    expect(res.status).toBe(200);
    expect(res.body.designSystem.id).toBe(ds.id);
    expect(res.body.components).toEqual([
      expect.objectContaining({ name: 'Card', documentation: '# Card', props: { elevated: { type: 'boolean' } } }),
    ]);
    expect(res.body.tokens).toEqual({});
  });
});
