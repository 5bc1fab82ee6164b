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

const activity = (teamId: string, query = '') => `/api/teams/${teamId}/activity${query}`;

describe('GET /api/teams/:teamId/activity', () => {
  it('checks authentication and team, and validates filters', async () => {
    expectError(await server.api.get(activity(crew.team.id)), 401, 'unauthenticated');
    expectHidden(await server.api.as(crew.outsider).get(activity(crew.team.id)));
    expectInvalidField(await server.api.as(crew.viewer).get(activity(crew.team.id, '?userId=nope')), 'query.userId');
  });

  it('records every mutation with who did it, filterable and paginated', async () => {
    const ds = await buildDesignSystem(server, crew.team, crew.editor);
    const c = await buildComponent(server, ds.id, crew.editor);
    await server.api.as(crew.editor).put(`/api/design-systems/${ds.id}/components/${c.id}`, { code: 'changed' });
    const key = await buildApiKey(server, crew.team, crew.admin, ['write']);
    await server.api.as(key).put(`/api/design-systems/${ds.id}`, { name: 'By the CI key' });
    await server.services.events.drain();

    const res = await server.api.as(crew.viewer).get(activity(crew.team.id, `?designSystemId=${ds.id}`));
    expect(res.status).toBe(200);
    const actions = res.body.items.map((a: { action: string }) => a.action);
    expect(actions).toEqual(['designSystem.updated', 'component.updated', 'component.created', 'designSystem.created']);
    expect(res.body.items[1]).toMatchObject({ userId: crew.editor.id, resourceType: 'component', resourceId: c.id });
    expect(res.body.items[0]).toMatchObject({ userId: crew.admin.id, apiKeyId: expect.any(String) });

    const byUser = await server.api
      .as(crew.viewer)
      .get(activity(crew.team.id, `?userId=${crew.owner.id}&action=member.added`));
    expect(byUser.body.items).toHaveLength(3);

    const page1 = await server.api.as(crew.viewer).get(activity(crew.team.id, '?limit=2'));
    const page2 = await server.api
      .as(crew.viewer)
      .get(activity(crew.team.id, `?limit=2&cursor=${page1.body.nextCursor}`));
    expect(page2.body.items[0].id).not.toBe(page1.body.items[1].id);
    expect(new Date(page2.body.items[0].createdAt).getTime()).toBeLessThanOrEqual(
      new Date(page1.body.items[1].createdAt).getTime(),
    );
  });
});
