import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { addMember, buildApiKey, buildCrew, buildTeam, buildUser } from '../../../support/factories.ts';
import { expectError, expectHidden, expectInvalidField } from '../../../support/expect-error.ts';
import { startTestServer, type TestServer } from '../../../support/server.ts';

let server: TestServer;
let crew: Awaited<ReturnType<typeof buildCrew>>;
beforeAll(async () => {
  server = await startTestServer();
  crew = await buildCrew(server);
});
afterAll(() => server.close());

const members = (teamId: string) => `/api/teams/${teamId}/members`;

describe('GET /api/teams/:id/members', () => {
  it('requires authentication', async () => {
    expectError(await server.api.get(members(crew.team.id)), 401, 'unauthenticated');
  });
  it('is 404 for another team', async () => {
    expectHidden(await server.api.as(crew.outsider).get(members(crew.team.id)));
  });
  it('lists members, owners first, with their users', async () => {
    const res = await server.api.as(crew.viewer).get(members(crew.team.id));
    expect(res.status).toBe(200);
    expect(res.body.items.map((m: { role: string }) => m.role)).toEqual(['owner', 'admin', 'editor', 'viewer']);
    expect(res.body.items[0].user).toMatchObject({ id: crew.owner.id, email: crew.owner.email });
  });
});

describe('POST /api/teams/:id/members', () => {
  it('requires authentication', async () => {
    expectError(
      await server.api.post(members(crew.team.id), { email: 'a@b.co', role: 'viewer' }),
      401,
      'unauthenticated',
    );
  });
  it('is 404 for another team', async () => {
    const user = await buildUser(server);
    expectHidden(await server.api.as(crew.outsider).post(members(crew.team.id), { userId: user.id, role: 'viewer' }));
  });
  it('is 403 for an editor', async () => {
    const user = await buildUser(server);
    expectError(
      await server.api.as(crew.editor).post(members(crew.team.id), { userId: user.id, role: 'viewer' }),
      403,
      'forbidden',
    );
  });
  it('names the invalid field', async () => {
    expectInvalidField(
      await server.api.as(crew.admin).post(members(crew.team.id), { email: 'x@y.co', role: 'boss' }),
      'role',
    );
    expectInvalidField(await server.api.as(crew.admin).post(members(crew.team.id), { role: 'viewer' }), 'userId');
  });
  it('adds by id; refuses duplicates and unknown ids', async () => {
    const b = await buildUser(server);
    expect((await server.api.as(crew.admin).post(members(crew.team.id), { userId: b.id, role: 'viewer' })).status).toBe(
      201,
    );
    expectError(
      await server.api.as(crew.admin).post(members(crew.team.id), { userId: b.id, role: 'viewer' }),
      409,
      'already_member',
    );
    expectError(
      await server.api
        .as(crew.admin)
        .post(members(crew.team.id), { userId: '00000000-0000-4000-8000-000000000000', role: 'viewer' }),
      404,
      'not_found',
    );
  });
  it('invites by email: nobody joins until they accept, and only the addressee can', async () => {
    const a = await buildUser(server);
    const invited = await server.api
      .as(crew.admin)
      .post(members(crew.team.id), { email: a.email.toUpperCase(), role: 'editor' });
    expect(invited.status).toBe(202);
    expect(invited.body.invitation).toMatchObject({ email: a.email, role: 'editor', team: { id: crew.team.id } });
    const listed = (await server.api.as(crew.admin).get(members(crew.team.id))).body.items as { userId: string }[];
    expect(listed.some((m) => m.userId === a.id)).toBe(false);
    expect((await server.api.as(crew.admin).get(`/api/teams/${crew.team.id}/invitations`)).body.items).toEqual([
      expect.objectContaining({ email: a.email }),
    ]);

    const id = invited.body.invitation.id as string;
    // Someone else cannot see or accept it.
    expectHidden(await server.api.as(crew.editor).post(`/api/invitations/${id}/accept`));
    const mine = await server.api.as(a).get('/api/invitations');
    expect(mine.body.items).toEqual([expect.objectContaining({ id, role: 'editor' })]);
    const accepted = await server.api.as(a).post(`/api/invitations/${id}/accept`);
    expect(accepted.status).toBe(200);
    expect(accepted.body).toEqual({ teamId: crew.team.id, role: 'editor' });
    expect(
      (
        (await server.api.as(crew.admin).get(members(crew.team.id))).body.items as { userId: string; role: string }[]
      ).find((m) => m.userId === a.id)?.role,
    ).toBe('editor');
    expect((await server.api.as(a).get('/api/invitations')).body.items).toEqual([]);
  });
  it('a declined or withdrawn invitation is gone', async () => {
    const a = await buildUser(server);
    const first = await server.api.as(crew.admin).post(members(crew.team.id), { email: a.email, role: 'viewer' });
    expect((await server.api.as(a).post(`/api/invitations/${first.body.invitation.id}/decline`)).status).toBe(204);
    expectHidden(await server.api.as(a).post(`/api/invitations/${first.body.invitation.id}/accept`));
    const second = await server.api.as(crew.admin).post(members(crew.team.id), { email: a.email, role: 'viewer' });
    expect(
      (await server.api.as(crew.admin).delete(`/api/teams/${crew.team.id}/invitations/${second.body.invitation.id}`))
        .status,
    ).toBe(204);
    expect((await server.api.as(a).get('/api/invitations')).body.items).toEqual([]);
  });
  it('lets only owners grant ownership', async () => {
    const user = await buildUser(server);
    expectError(
      await server.api.as(crew.admin).post(members(crew.team.id), { userId: user.id, role: 'owner' }),
      403,
      'forbidden',
    );
    expect(
      (await server.api.as(crew.owner).post(members(crew.team.id), { userId: user.id, role: 'owner' })).status,
    ).toBe(201);
  });
});

describe('PATCH /api/teams/:id/members/:userId', () => {
  it('requires authentication', async () => {
    expectError(
      await server.api.patch(`${members(crew.team.id)}/${crew.viewer.id}`, { role: 'editor' }),
      401,
      'unauthenticated',
    );
  });
  it('is 404 for another team', async () => {
    expectHidden(
      await server.api.as(crew.outsider).patch(`${members(crew.team.id)}/${crew.viewer.id}`, { role: 'editor' }),
    );
  });
  it('is 403 for an editor', async () => {
    expectError(
      await server.api.as(crew.editor).patch(`${members(crew.team.id)}/${crew.viewer.id}`, { role: 'editor' }),
      403,
      'forbidden',
    );
  });
  it('names the invalid field', async () => {
    expectInvalidField(
      await server.api.as(crew.admin).patch(`${members(crew.team.id)}/${crew.viewer.id}`, { role: 'king' }),
      'role',
    );
  });
  it('changes a role, and the new role applies at once', async () => {
    const user = await buildUser(server);
    await addMember(server, crew.team, crew.owner, user, 'viewer');
    expectError(await server.api.as(user).put(`/api/teams/${crew.team.id}`, { name: 'Try' }), 403, 'forbidden');
    const res = await server.api.as(crew.admin).patch(`${members(crew.team.id)}/${user.id}`, { role: 'admin' });
    expect(res.status).toBe(200);
    expect(res.body.role).toBe('admin');
    expect((await server.api.as(user).put(`/api/teams/${crew.team.id}`, { name: 'Try' })).status).toBe(200);
  });
  it('never demotes the last owner', async () => {
    const owner = await buildUser(server);
    const team = await buildTeam(server, owner);
    expectError(
      await server.api.as(owner).patch(`${members(team.id)}/${owner.id}`, { role: 'admin' }),
      409,
      'last_owner',
    );
  });
});

describe('DELETE /api/teams/:id/members/:userId', () => {
  it('requires authentication', async () => {
    expectError(await server.api.delete(`${members(crew.team.id)}/${crew.viewer.id}`), 401, 'unauthenticated');
  });
  it('is 404 for another team', async () => {
    expectHidden(await server.api.as(crew.outsider).delete(`${members(crew.team.id)}/${crew.viewer.id}`));
  });
  it('is 403 for an editor removing someone else', async () => {
    expectError(
      await server.api.as(crew.editor).delete(`${members(crew.team.id)}/${crew.viewer.id}`),
      403,
      'forbidden',
    );
  });
  it('lets an admin remove a member, whose access ends at once', async () => {
    const user = await buildUser(server);
    await addMember(server, crew.team, crew.owner, user, 'editor');
    expect((await server.api.as(crew.admin).delete(`${members(crew.team.id)}/${user.id}`)).status).toBe(204);
    expectHidden(await server.api.as(user).get(`/api/teams/${crew.team.id}`));
  });
  it('lets a member leave, but not the last owner', async () => {
    const user = await buildUser(server);
    await addMember(server, crew.team, crew.owner, user, 'viewer');
    expect((await server.api.as(user).delete(`${members(crew.team.id)}/${user.id}`)).status).toBe(204);
    const owner = await buildUser(server);
    const team = await buildTeam(server, owner);
    expectError(await server.api.as(owner).delete(`${members(team.id)}/${owner.id}`), 409, 'last_owner');
  });
  it('stops an admin from removing an owner', async () => {
    expectError(await server.api.as(crew.admin).delete(`${members(crew.team.id)}/${crew.owner.id}`), 403, 'forbidden');
  });
  it('keeps a write-scoped key from managing members', async () => {
    const key = await buildApiKey(server, crew.team, crew.admin, ['write']);
    expectError(
      await server.api.as(key).delete(`${members(crew.team.id)}/${crew.viewer.id}`),
      403,
      'insufficient_scope',
    );
  });
});
