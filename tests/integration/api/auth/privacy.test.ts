import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import supertest from 'supertest';
import {
  addMember,
  buildComponent,
  buildCrew,
  buildDesignSystem,
  buildTeam,
  buildUser,
} from '../../../support/factories.ts';
import { expectError, expectHidden, expectInvalidField } from '../../../support/expect-error.ts';
import { startTestServer, type TestServer } from '../../../support/server.ts';

let server: TestServer;
let crew: Awaited<ReturnType<typeof buildCrew>>;
beforeAll(async () => {
  server = await startTestServer();
  crew = await buildCrew(server);
});
afterAll(() => server.close());

describe('GDPR', () => {
  it('exports everything about a user, without secrets', async () => {
    const ds = await buildDesignSystem(server, crew.team, crew.editor);
    const c = await buildComponent(server, ds.id, crew.editor);
    const comment = await server.api
      .as(crew.viewer)
      .post('/api/comments', { resourceType: 'component', resourceId: c.id, content: 'mine' });
    await server.api.as(crew.viewer).post(`/api/comments/${comment.body.id}/reactions`, { emoji: '✅' });
    expectError(await server.api.get('/api/auth/me/export'), 401, 'unauthenticated');
    const res = await server.api.as(crew.viewer).get('/api/auth/me/export');
    expect(res.status).toBe(200);
    expect(res.body.user).toMatchObject({ id: crew.viewer.id, email: crew.viewer.email });
    expect(res.body.memberships).toEqual([
      expect.objectContaining({ role: 'viewer', team: expect.objectContaining({ id: crew.team.id }) }),
    ]);
    expect(res.body.comments.map((x: { content: string }) => x.content)).toContain('mine');
    expect(res.body.reactions).toEqual([expect.objectContaining({ emoji: '✅' })]);
    expect(JSON.stringify(res.body)).not.toMatch(/argon2|passwordHash|tokenHash|secretHash/);
  });

  it('deletes an account: personal data gone, comments kept as a deleted user', async () => {
    const user = await buildUser(server);
    await addMember(server, crew.team, crew.owner, user, 'editor');
    const ds = await buildDesignSystem(server, crew.team, crew.editor);
    const c = await buildComponent(server, ds.id, crew.editor);
    const comment = await server.api
      .as(user)
      .post('/api/comments', { resourceType: 'component', resourceId: c.id, content: 'I was here' });
    expectInvalidField(
      await server.api.as(user).delete('/api/auth/me').send({ confirmEmail: 'wrong@example.test' }),
      'confirmEmail',
    );
    // The last owner of a team must hand it over first.
    const own = await buildTeam(server, user);
    const refused = await server.api.as(user).delete('/api/auth/me').send({ confirmEmail: user.email });
    expectError(refused, 409, 'last_owner');
    expect(refused.body.error.details.teams).toEqual([own.id]);
    await server.api.as(user).delete(`/api/teams/${own.id}`);

    expect(
      (await server.api.as(user).delete('/api/auth/me').send({ confirmEmail: user.email.toUpperCase() })).status,
    ).toBe(204);
    expect(await server.db.user.findUnique({ where: { id: user.id } })).toBeNull();
    expect((await server.api.post('/api/auth/login', { email: user.email, password: user.password })).status).toBe(401);
    expect((await server.api.as(user).get('/api/auth/me')).status).toBe(401);
    const kept = await server.api.as(crew.viewer).get(`/api/comments/${comment.body.id}`);
    expect(kept.body).toMatchObject({ content: 'I was here', author: null, deleted: false });
  });

  it('exports a whole team for its owners only', async () => {
    const ds = await buildDesignSystem(server, crew.team, crew.editor);
    await buildComponent(server, ds.id, crew.editor, { name: 'Exported' });
    expectHidden(await server.api.as(crew.outsider).get(`/api/teams/${crew.team.id}/export`));
    expectError(await server.api.as(crew.admin).get(`/api/teams/${crew.team.id}/export`), 403, 'forbidden');
    const res = await server.api.as(crew.owner).get(`/api/teams/${crew.team.id}/export`);
    expect(res.status).toBe(200);
    expect(res.body.members).toHaveLength(4);
    const exported = res.body.designSystems.find((d: { designSystem: { id: string } }) => d.designSystem.id === ds.id);
    expect(exported.components.map((x: { name: string }) => x.name)).toEqual(['Exported']);
  });

  it("deletes a team's stored files with it", async () => {
    const owner = await buildUser(server);
    const team = await buildTeam(server, owner);
    const ds = await buildDesignSystem(server, team, owner);
    const png = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.from('x')]);
    const up = await supertest(server.url)
      .post(`/api/design-systems/${ds.id}/assets`)
      .set('Authorization', `Bearer ${owner.accessToken}`)
      .attach('file', png, 'a.png');
    expect(up.status).toBe(201);
    const store = (await import('../../../../src/models/storage/index.ts')).createObjectStore({
      dataDir: server.config.DATA_DIR,
    });
    expect(await store.list(`teams/${team.id}/`)).toHaveLength(1);
    expect((await server.api.as(owner).delete(`/api/teams/${team.id}`)).status).toBe(204);
    await server.services.events.drain();
    expect(await store.list(`teams/${team.id}/`)).toHaveLength(0);
  });
});
