// An API key acts within its own limits: even an admin-scope key cannot make a person an admin or
// an owner (who could then mint admin keys), nor demote or remove one, nor manage keys.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { buildApiKey, buildCrew, buildUser } from '../support/factories.ts';
import { startTestServer, type TestServer } from '../support/server.ts';

let server: TestServer;
let crew: Awaited<ReturnType<typeof buildCrew>>;
let key: string;

beforeAll(async () => {
  server = await startTestServer();
  crew = await buildCrew(server);
  key = await buildApiKey(server, crew.team, crew.admin, ['admin']);
});
afterAll(() => server.close());

describe('API key escalation', () => {
  it('an admin-scope key is refused every step above editor, with user_required', async () => {
    const asKey = server.api.as(key);
    const newcomer = await buildUser(server);
    const tried = [
      await asKey.post(`/api/teams/${crew.team.id}/members`, { userId: newcomer.id, role: 'admin' }),
      await asKey.post(`/api/teams/${crew.team.id}/members`, { userId: newcomer.id, role: 'owner' }),
      await asKey.patch(`/api/teams/${crew.team.id}/members/${crew.editor.id}`, { role: 'admin' }),
      await asKey.patch(`/api/teams/${crew.team.id}/members/${crew.admin.id}`, { role: 'viewer' }),
      await asKey.delete(`/api/teams/${crew.team.id}/members/${crew.admin.id}`),
      await asKey.post(`/api/teams/${crew.team.id}/api-keys`, { name: 'minted', scopes: ['admin'] }),
    ];
    expect(tried.map((r) => [r.status, r.body?.error?.code])).toEqual(tried.map(() => [403, 'user_required']));
    // Nothing changed.
    const members = (await server.api.as(crew.owner).get(`/api/teams/${crew.team.id}/members`)).body.items as {
      user: { id: string };
      role: string;
    }[];
    const roleOf = (id: string) => members.find((m) => m.user.id === id)?.role;
    expect([roleOf(newcomer.id), roleOf(crew.editor.id), roleOf(crew.admin.id)]).toEqual([
      undefined,
      'editor',
      'admin',
    ]);
    // Within its limits it still works: adding an editor.
    expect(
      (await asKey.post(`/api/teams/${crew.team.id}/members`, { userId: newcomer.id, role: 'editor' })).status,
    ).toBe(201);
    console.log(`api key escalation: ${tried.length} steps above editor tried, ${tried.length} refused`);
  });
});
