// Inviting by email tells the inviter nothing about who has an account, and nobody is added to a
// team without accepting.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { buildCrew, buildUser } from '../support/factories.ts';
import { startTestServer, type TestServer } from '../support/server.ts';

let server: TestServer;
let crew: Awaited<ReturnType<typeof buildCrew>>;
beforeAll(async () => {
  server = await startTestServer();
  crew = await buildCrew(server);
});
afterAll(() => server.close());

/** What an answer reveals, with the fields that differ by nature (ids, times, the address itself) taken out. */
const shape = (res: { status: number; body: Record<string, any> }) => ({
  status: res.status,
  keys: Object.keys(res.body.invitation ?? res.body).sort(),
  role: res.body.invitation?.role,
  team: res.body.invitation?.team,
});

describe('account enumeration through invitations', () => {
  it('answers an existing and a missing account alike, and adds neither', async () => {
    const existing = await buildUser(server);
    const forExisting = await server.api
      .as(crew.admin)
      .post(`/api/teams/${crew.team.id}/members`, { email: existing.email, role: 'viewer' });
    const forMissing = await server.api
      .as(crew.admin)
      .post(`/api/teams/${crew.team.id}/members`, { email: `nobody-${Date.now()}@example.test`, role: 'viewer' });
    expect(shape(forExisting)).toEqual(shape(forMissing));
    expect(forExisting.status).toBe(202);
    const members = (await server.api.as(crew.admin).get(`/api/teams/${crew.team.id}/members`)).body.items as {
      userId: string;
    }[];
    expect(members.some((m) => m.userId === existing.id)).toBe(false);
    console.log(
      'enumeration: invitation answers for an existing and a missing account are identical (202, same fields); nobody added',
    );
  });
});
