// Deleting a branch removes its documents (and their logs), fork bases, merge requests and their
// comment threads, closes the connections to its documents, and leaves main alone.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import * as Y from 'yjs';
import { writeToken } from '../../src/services/documents/tokens-doc.ts';
import { expectError } from '../support/expect-error.ts';
import { buildCrew, buildDesignSystem } from '../support/factories.ts';
import { call, connect, eventually, type Client } from '../support/realtime.ts';
import { startTestServer, type TestServer } from '../support/server.ts';
import { edit } from '../support/yjs-client.ts';
import { provide, type Provided } from '../support/yjs-provider.ts';

let server: TestServer;
let crew: Awaited<ReturnType<typeof buildCrew>>;
let ds: { id: string };
const sockets: Client[] = [];
const providers: Provided[] = [];
beforeAll(async () => {
  server = await startTestServer();
  crew = await buildCrew(server);
  ds = await buildDesignSystem(server, crew.team, crew.editor);
  await server.api
    .as(crew.editor)
    .post(`/api/design-systems/${ds.id}/tokens`, { path: 'color.brand', $value: '#000000', $type: 'color' });
});
afterAll(async () => {
  for (const s of sockets) s.close();
  for (const p of providers) p.close();
  await server.close();
});

const branches = () => `/api/design-systems/${ds.id}/branches`;
const fork = async (who: { accessToken: string }, name: string, from?: string) => {
  const res = await server.api.as(who).post(branches(), { name, ...(from ? { from } : {}) });
  expect(res.status).toBe(201);
  return res.body as { id: string; name: string };
};
const tokensDoc = (branchId?: string) => `tokens:${ds.id}${branchId ? `@${branchId}` : ''}`;
const rows = async (branchId: string) => ({
  documents: await server.db.document.count({ where: { name: { endsWith: `@${branchId}` } } }),
  updates: await server.db.documentUpdate.count({ where: { docName: { endsWith: `@${branchId}` } } }),
  forks: await server.db.branchDocument.count({ where: { branchId } }),
  requests: await server.db.mergeRequest.count({ where: { branchId } }),
});

describe('deleting a branch', () => {
  it('removes its documents, logs, merge requests and threads, and closes its live connections', async () => {
    const branch = await fork(crew.editor, 'to-delete');
    const name = tokensDoc(branch.id);
    // A Socket.IO editor and a stock y-websocket client on the branch's tokens document.
    const socket = await connect(server, crew.editor);
    sockets.push(socket);
    const ack = await call(socket, 'doc-subscribe', { docName: name });
    expect(ack.ok).toBe(true);
    const doc = new Y.Doc();
    Y.applyUpdate(doc, new Uint8Array(ack.data.state));
    const update = edit(doc, (d) => writeToken(d, 'color.brand', { $value: '#00ff00', $type: 'color' }));
    expect((await call(socket, 'doc-update', { docName: name, update })).ok).toBe(true);
    const yjs = provide(server.url, name, crew.admin.accessToken);
    providers.push(yjs);
    await yjs.synced;
    const revoked: { docName?: string; reason: string }[] = [];
    socket.on('access-revoked', (p: { docName?: string; reason: string }) => revoked.push(p));
    const roomEvents: { branch: { id: string } }[] = [];
    const watcher = await connect(server, crew.viewer);
    sockets.push(watcher);
    expect((await call(watcher, 'join-design-system', { designSystemId: ds.id })).ok).toBe(true);
    watcher.on('branch-deleted', (p: { branch: { id: string } }) => roomEvents.push(p));

    const mr = await server.api.as(crew.editor).post(`${branches()}/${branch.id}/merge-requests`, { title: 'Green' });
    expect(mr.status).toBe(201);
    const comment = await server.api
      .as(crew.viewer)
      .post(`${branches()}/${branch.id}/merge-requests/${mr.body.id}/comments`, { content: 'Why green?' });
    expect(comment.status).toBe(201);
    const listed = `/api/comments?resourceType=mergeRequest&resourceId=${mr.body.id}`;
    expect((await server.api.as(crew.viewer).get(listed)).body.items.map((c: { id: string }) => c.id)).toEqual([
      comment.body.id,
    ]);
    const before = await rows(branch.id);
    expect(before.documents).toBeGreaterThan(0);
    expect(before.updates).toBeGreaterThan(0);
    expect(before.requests).toBe(1);

    expect((await server.api.as(crew.editor).delete(`${branches()}/${branch.id}`)).status).toBe(204);

    expect(await rows(branch.id)).toEqual({ documents: 0, updates: 0, forks: 0, requests: 0 });
    expect(await server.db.comment.count({ where: { resourceType: 'mergeRequest', resourceId: mr.body.id } })).toBe(0);
    expectError(await server.api.as(crew.editor).get(`${branches()}/${branch.id}`), 404, 'not_found');
    expectError(await server.api.as(crew.viewer).get(listed), 404, 'not_found');
    await eventually(() => revoked.some((r) => r.docName === name && r.reason === 'deleted'));
    await eventually(() => yjs.closes.includes(4410));
    await eventually(() => roomEvents.some((e) => e.branch.id === branch.id));
    // Gone for new subscribers too, and main kept its own value.
    expect((await call(socket, 'doc-subscribe', { docName: name })).ok).toBe(false);
    const main = new Y.Doc();
    Y.applyUpdate(main, await server.services.documents.encodeState(tokensDoc(), null));
    expect(main.getMap<Y.Map<unknown>>('tokens').get('color.brand')?.get('$value')).toBe('#000000');
    const activity = await server.db.activityLog.findFirst({
      where: { action: 'branch.deleted', resourceId: branch.id },
    });
    expect(activity).not.toBeNull();
  });

  it("is for the branch's author or an admin, and waits for the branches forked from it", async () => {
    const parent = await fork(crew.editor, 'parent');
    const child = await fork(crew.admin, 'child', 'parent');
    // Another editor's branch: refused to an editor and a viewer, allowed to an admin.
    expectError(await server.api.as(crew.editor).delete(`${branches()}/child`), 403, 'forbidden');
    expectError(await server.api.as(crew.viewer).delete(`${branches()}/parent`), 403, 'forbidden');
    expectError(await server.api.as(crew.outsider).delete(`${branches()}/parent`), 404, 'not_found');
    const refused = await server.api.as(crew.editor).delete(`${branches()}/parent`);
    expectError(refused, 409, 'branch_has_branches');
    expect(refused.body.error.details.branches).toEqual(['child']);
    expect((await server.api.as(crew.admin).delete(`${branches()}/${child.id}`)).status).toBe(204);
    expect((await server.api.as(crew.editor).delete(`${branches()}/parent`)).status).toBe(204);
    expect(await rows(parent.id)).toEqual({ documents: 0, updates: 0, forks: 0, requests: 0 });
    expectError(await server.api.as(crew.admin).delete(`${branches()}/parent`), 404, 'not_found');
  });
});
