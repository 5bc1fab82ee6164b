// A merge is checked against the target's live rules as merged: each branch edit was checked
// against the branch alone, and main may have changed since (here it took the branch's new name).
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { expectError } from '../support/expect-error.ts';
import { buildComponent, buildCrew, buildDesignSystem } from '../support/factories.ts';
import { editLive } from '../support/realtime.ts';
import { startTestServer, type TestServer } from '../support/server.ts';

let server: TestServer;
let crew: Awaited<ReturnType<typeof buildCrew>>;
let ds: { id: string };
beforeAll(async () => {
  server = await startTestServer();
  crew = await buildCrew(server);
  ds = await buildDesignSystem(server, crew.team, crew.editor);
});
afterAll(() => server.close());

/** Renames the document's component live over Socket.IO; resolves with the acknowledgement. */
const renameLive = (docName: string, name: string) =>
  editLive(server, crew.editor, docName, (d) => d.getMap('meta').set('name', name));

describe('merging a branch', () => {
  it('is refused with every rule the merged documents would break, and goes through once they are fixed', async () => {
    const [a, b] = [await buildComponent(server, ds.id, crew.editor), await buildComponent(server, ds.id, crew.editor)];
    const branches = `/api/design-systems/${ds.id}/branches`;
    const branch = (await server.api.as(crew.editor).post(branches, { name: 'rename-b' })).body as { id: string };
    // On the branch, B becomes Card: no component of the branch has that name, so the edit is accepted.
    expect((await renameLive(`component:${b.id}@${branch.id}`, 'Card')).ok).toBe(true);
    // Meanwhile main renames A to Card.
    const putA = await server.api
      .as(crew.editor)
      .put(`/api/design-systems/${ds.id}/components/${a.id}`, { name: 'Card' });
    expect(putA.status).toBe(200);

    const mrs = `${branches}/${branch.id}/merge-requests`;
    const mr = (await server.api.as(crew.editor).post(mrs, { title: 'B is a card' })).body as { id: string };
    const refused = await server.api.as(crew.editor).post(`${mrs}/${mr.id}/merge`, {});
    expectError(refused, 409, 'merge_rule_violation');
    expect(refused.body.error.details.violations).toEqual([
      expect.objectContaining({ document: `component:${b.id}`, code: 'conflict' }),
    ]);
    // Nothing was merged: the branch stays open and main's B keeps its name.
    expect((await server.api.as(crew.editor).get(`${branches}/${branch.id}`)).body.status).toBe('open');
    expect((await server.api.as(crew.editor).get(`/api/design-systems/${ds.id}/components/${b.id}`)).body.name).toBe(
      b.name,
    );

    expect((await renameLive(`component:${b.id}@${branch.id}`, 'Card2')).ok).toBe(true);
    const merged = await server.api.as(crew.editor).post(`${mrs}/${mr.id}/merge`, {});
    expect(merged.status).toBe(200);
    expect((await server.api.as(crew.editor).get(`/api/design-systems/${ds.id}/components/${b.id}`)).body.name).toBe(
      'Card2',
    );
  });
});
