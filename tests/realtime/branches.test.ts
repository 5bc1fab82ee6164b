import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import * as Y from 'yjs';
import { expectError } from '../support/expect-error.ts';
import { buildComponent, buildCrew, buildDesignSystem } from '../support/factories.ts';
import { call, connect, eventually, next, type Client } from '../support/realtime.ts';
import { startTestServer, type TestServer } from '../support/server.ts';
import { provide, type Provided } from '../support/yjs-provider.ts';
import { edit } from '../support/yjs-client.ts';
import { writeToken } from '../../src/services/documents/tokens-doc.ts';

let server: TestServer;
let crew: Awaited<ReturnType<typeof buildCrew>>;
let ds: { id: string };
let open: Client[] = [];
let providers: Provided[] = [];
beforeAll(async () => {
  server = await startTestServer();
  crew = await buildCrew(server);
  ds = await buildDesignSystem(server, crew.team, crew.editor);
});
afterEach(() => {
  for (const c of open) c.close();
  for (const p of providers) p.close();
  open = [];
  providers = [];
});
afterAll(() => server.close());

/** A Socket.IO subscriber of `docName` with its own Y.Doc kept in sync. */
async function live(who: { accessToken: string }, docName: string) {
  const socket = await connect(server, who);
  open.push(socket);
  const ack = await call(socket, 'doc-subscribe', { docName });
  expect(ack.ok).toBe(true);
  const doc = new Y.Doc();
  Y.applyUpdate(doc, new Uint8Array(ack.data.state), 'remote');
  socket.on(
    'doc-update',
    (p: { docName: string; update: ArrayBuffer }) =>
      p.docName === docName && Y.applyUpdate(doc, new Uint8Array(p.update), 'remote'),
  );
  const send = (fn: (d: Y.Doc) => void) => call(socket, 'doc-update', { docName, update: edit(doc, fn) });
  return { socket, doc, send };
}

function provider(who: { accessToken: string }, docName: string): Provided {
  const p = provide(server.url, docName, who.accessToken);
  providers.push(p);
  return p;
}

const serverState = async (name: string) => {
  const doc = new Y.Doc();
  Y.applyUpdate(doc, await server.services.documents.encodeState(name, null));
  return doc;
};
const color = (doc: Y.Doc, path: string) =>
  (doc.getMap<Y.Map<unknown>>('tokens').get(path)?.get('$value') as string | undefined) ?? null;
const setColor = (path: string, $value: string) => (d: Y.Doc) => writeToken(d, path, { $value, $type: 'color' });

describe('branches', () => {
  it('requires authentication and hides other teams', async () => {
    expectError(await server.api.post(`/api/design-systems/${ds.id}/branches`, { name: 'x' }), 401, 'unauthenticated');
    expectError(
      await server.api.as(crew.outsider).post(`/api/design-systems/${ds.id}/branches`, { name: 'x' }),
      404,
      'not_found',
    );
    expectError(
      await server.api.as(crew.viewer).post(`/api/design-systems/${ds.id}/branches`, { name: 'x' }),
      403,
      'forbidden',
    );
    expectError(
      await server.api.as(crew.editor).post(`/api/design-systems/${ds.id}/branches`, { name: 'main' }),
      400,
      'validation_failed',
    );
  });

  it('forks, is edited live on both sides, diffs three ways, merges with a resolution, converges, publishes, and is read-only after', async () => {
    const c = await buildComponent(server, ds.id, crew.editor, {
      code: 'line1\nline2\nline3\n',
      props: { size: 'md' },
    });
    const main = await live(crew.admin, `tokens:${ds.id}`);
    await main.send((d) => {
      setColor('color.primary', '#000000')(d);
      setColor('color.ink', '#111111')(d);
    });
    const watcher = await connect(server, crew.viewer);
    open.push(watcher);
    expect((await call(watcher, 'join-design-system', { designSystemId: ds.id })).ok).toBe(true);
    const created = next(watcher, 'branch-created');

    const res = await server.api.as(crew.editor).post(`/api/design-systems/${ds.id}/branches`, { name: 'feature' });
    expect(res.status).toBe(201);
    const branch = res.body;
    expect(branch).toMatchObject({ name: 'feature', status: 'open', parentId: null });
    expect((await created).branch.id).toBe(branch.id);
    expectError(
      await server.api.as(crew.editor).post(`/api/design-systems/${ds.id}/branches`, { name: 'feature' }),
      409,
      'branch_name_taken',
    );
    const got = await server.api.as(crew.viewer).get(`/api/design-systems/${ds.id}/branches/feature`);
    expect(got.body.documents).toEqual(
      expect.arrayContaining([`component:${c.id}@${branch.id}`, `tokens:${ds.id}@${branch.id}`]),
    );
    expect(
      (await server.api.as(crew.viewer).get(`/api/design-systems/${ds.id}/branches`)).body.items.map(
        (b: { id: string }) => b.id,
      ),
    ).toContain(branch.id);

    // Two live clients on the branch (Socket.IO and a stock y-websocket provider), a third and a fourth on main.
    const compBranch = `component:${c.id}@${branch.id}`;
    const a = await live(crew.editor, compBranch);
    const b = provider(crew.admin, compBranch);
    await b.synced;
    expect(b.doc.getText('code').toString()).toBe('line1\nline2\nline3\n');
    const mainComp = await live(crew.editor, `component:${c.id}`);
    const mainProvider = provider(crew.viewer, `component:${c.id}`);
    await mainProvider.synced;
    const tokensBranch = await live(crew.editor, `tokens:${ds.id}@${branch.id}`);
    expect(color(tokensBranch.doc, 'color.primary')).toBe('#000000');

    const code = (d: Y.Doc) => d.getText('code');
    expect((await a.send((d) => code(d).insert(code(d).toString().indexOf('line2') + 5, '-branch'))).ok).toBe(true);
    b.doc.getMap('props').set('variant', 'ghost');
    expect((await mainComp.send((d) => code(d).insert(code(d).toString().indexOf('line2') + 5, '-main'))).ok).toBe(
      true,
    );
    expect((await mainComp.send((d) => code(d).insert(0, 'header\n'))).ok).toBe(true);
    expect((await tokensBranch.send(setColor('color.primary', '#00ff00'))).ok).toBe(true);
    expect((await main.send(setColor('color.primary', '#ff0000'))).ok).toBe(true);
    expect((await main.send(setColor('color.ink', '#222222'))).ok).toBe(true);
    await eventually(
      () => a.doc.getMap('props').get('variant') === 'ghost' && b.doc.getText('code').toString().includes('-branch'),
    );
    // The sides stay apart.
    expect(code(mainComp.doc).toString()).toBe('header\nline1\nline2-main\nline3\n');
    expect((await serverState(`component:${c.id}`)).getMap('props').get('variant')).toBeUndefined();
    expect(code(await serverState(compBranch)).toString()).toBe('line1\nline2-branch\nline3\n');

    const diff = (await server.api.as(crew.viewer).get(`/api/design-systems/${ds.id}/branches/${branch.id}/diff`)).body;
    const ids = (list: { id: string }[]) => list.map((e) => e.id).sort();
    expect(ids(diff.branch)).toEqual(
      [
        `component:${c.id}#code`,
        `component:${c.id}#props/variant`,
        `tokens:${ds.id}#token/color.primary/$value`,
      ].sort(),
    );
    expect(ids(diff.main)).toEqual(
      [
        `component:${c.id}#code`,
        `tokens:${ds.id}#token/color.ink/$value`,
        `tokens:${ds.id}#token/color.primary/$value`,
      ].sort(),
    );
    const codeConflict = `component:${c.id}#code/L2-2`;
    const tokenConflict = `tokens:${ds.id}#token/color.primary/$value`;
    expect(ids(diff.conflicts)).toEqual([codeConflict, tokenConflict].sort());
    expect(diff.conflicts.find((x: { id: string }) => x.id === codeConflict)).toMatchObject({
      kind: 'text',
      main: 'line2-main\n',
      branch: 'line2-branch\n',
    });

    // A merge request with a comment on a diff entry, and the team's required approval.
    const mrs = `/api/design-systems/${ds.id}/branches/feature/merge-requests`;
    const updates = next(watcher, 'merge-request-updated', (p) => p.change === 'opened');
    const mr = (await server.api.as(crew.editor).post(mrs, { title: 'Green primary' })).body;
    expect(mr).toMatchObject({ status: 'open', approvals: [] });
    expect((await updates).mergeRequest.id).toBe(mr.id);
    const comment = await server.api
      .as(crew.viewer)
      .post(`${mrs}/${mr.id}/comments`, { content: 'Why green?', entry: tokenConflict });
    expect(comment.status).toBe(201);
    expect(comment.body.anchor).toMatchObject({ entry: tokenConflict });
    expect((await server.api.as(crew.viewer).get(`${mrs}/${mr.id}/comments`)).body.items).toHaveLength(1);
    expectError(
      await server.api.as(crew.editor).put(`/api/teams/${crew.team.id}/branch-settings`, { requiredApprovals: 1 }),
      403,
      'forbidden',
    );
    expect(
      (await server.api.as(crew.admin).put(`/api/teams/${crew.team.id}/branch-settings`, { requiredApprovals: 1 }))
        .body,
    ).toMatchObject({ requiredApprovals: 1, protectMain: false });
    expectError(await server.api.as(crew.editor).post(`${mrs}/${mr.id}/merge`, {}), 409, 'approvals_required');
    expectError(await server.api.as(crew.editor).post(`${mrs}/${mr.id}/approvals`, {}), 403, 'forbidden');
    expectError(await server.api.as(crew.viewer).post(`${mrs}/${mr.id}/approvals`, {}), 403, 'forbidden');
    expect((await server.api.as(crew.admin).post(`${mrs}/${mr.id}/approvals`, {})).body.approvals).toHaveLength(1);

    const refused = await server.api
      .as(crew.editor)
      .post(`${mrs}/${mr.id}/merge`, { resolutions: { [tokenConflict]: 'ours' } });
    expectError(refused, 409, 'merge_conflicts');
    expect(refused.body.error.details.conflicts.map((x: { id: string }) => x.id)).toEqual([codeConflict]);

    // Merge while main is being edited live.
    const merged = next(watcher, 'branch-merged');
    const [result, concurrent] = await Promise.all([
      server.api
        .as(crew.editor)
        .post(`${mrs}/${mr.id}/merge`, { resolutions: { [tokenConflict]: 'ours', [codeConflict]: 'theirs' } }),
      mainComp.send((d) => code(d).insert(code(d).length, 'footer\n')),
    ]);
    expect(concurrent.ok).toBe(true);
    expect(result.status).toBe(200);
    expect(result.body).toMatchObject({
      mergeRequest: { status: 'merged' },
      branch: { status: 'merged' },
      unresolved: [],
    });
    expect((await merged).branch.id).toBe(branch.id);

    const expected = 'header\nline1\nline2-branch\nline3\nfooter\n';
    const onServer = await serverState(`component:${c.id}`);
    expect(code(onServer).toString()).toBe(expected);
    expect(onServer.getMap('props').toJSON()).toEqual({ size: 'md', variant: 'ghost' });
    await eventually(
      () => code(mainComp.doc).toString() === expected && code(mainProvider.doc).toString() === expected,
    );
    expect(mainProvider.doc.getMap('props').get('variant')).toBe('ghost');
    const tokens = await serverState(`tokens:${ds.id}`);
    expect([color(tokens, 'color.primary'), color(tokens, 'color.ink')]).toEqual(['#ff0000', '#222222']);
    await eventually(
      () => color(main.doc, 'color.primary') === '#ff0000' && color(main.doc, 'color.ink') === '#222222',
    );
    // REST reads the merged rows at once.
    expect((await server.api.as(crew.viewer).get(`/api/design-systems/${ds.id}/components/${c.id}`)).body.code).toBe(
      expected,
    );

    // Read-only afterwards, with a precise code, on both transports.
    const after = await a.send((d) => code(d).insert(0, 'late'));
    expect(after).toMatchObject({ ok: false, error: { code: 'branch_read_only' } });
    b.doc.getText('code').insert(0, 'late');
    await eventually(
      () =>
        b.denied.some((r) => r.startsWith('branch_read_only')) && !b.doc.getText('code').toString().includes('late'),
    );
    expect(code(await serverState(compBranch)).toString()).toBe('line1\nline2-branch\nline3\n');
    expectError(await server.api.as(crew.editor).post(`${mrs}`, { title: 'again' }), 409, 'branch_read_only');

    // The merged main publishes.
    const pub = await server.api.as(crew.admin).post(`/api/design-systems/${ds.id}/publish`, { version: '1.0.0' });
    expect(pub.status).toBe(202);
    await eventually(
      async () => (await server.api.as(crew.admin).get(`/api/jobs/${pub.body.id}`)).body.status === 'completed',
      30_000,
    );
    const exported = (await server.api.as(crew.viewer).get(`/api/design-systems/${ds.id}/versions/1.0.0/export`)).body;
    expect(JSON.stringify(exported)).toContain('line2-branch');
    await server.api.as(crew.admin).put(`/api/teams/${crew.team.id}/branch-settings`, { requiredApprovals: 0 });
  });

  it('protects main: a non-admin is refused on REST and live, admins write, branches stay writable', async () => {
    const c = await buildComponent(server, ds.id, crew.editor, { code: 'x\n' });
    const branch = (
      await server.api.as(crew.editor).post(`/api/design-systems/${ds.id}/branches`, { name: 'protected-work' })
    ).body;
    expect(
      (await server.api.as(crew.admin).put(`/api/teams/${crew.team.id}/branch-settings`, { protectMain: true })).body
        .protectMain,
    ).toBe(true);
    try {
      expectError(
        await server.api.as(crew.editor).put(`/api/design-systems/${ds.id}/components/${c.id}`, { code: 'y\n' }),
        403,
        'main_protected',
      );
      const editor = await live(crew.editor, `component:${c.id}`);
      const refused = await editor.send((d) => d.getText('code').insert(0, 'no'));
      expect(refused).toMatchObject({ ok: false, error: { code: 'main_protected' } });
      await eventually(() => editor.doc.getText('code').toString() === 'x\n');
      const yjs = provider(crew.editor, `component:${c.id}`);
      await yjs.synced;
      yjs.doc.getText('code').insert(0, 'no');
      await eventually(
        () => yjs.denied.some((r) => r.startsWith('main_protected')) && yjs.doc.getText('code').toString() === 'x\n',
      );
      expect(
        (await server.api.as(crew.admin).put(`/api/design-systems/${ds.id}/components/${c.id}`, { code: 'admin\n' }))
          .status,
      ).toBe(200);
      const onBranch = await live(crew.editor, `component:${c.id}@${branch.id}`);
      expect((await onBranch.send((d) => d.getText('code').insert(0, 'ok'))).ok).toBe(true);
      expect(
        (await server.api.as(crew.editor).post(`/api/design-systems/${ds.id}/branches`, { name: 'another' })).status,
      ).toBe(201);
    } finally {
      await server.api.as(crew.admin).put(`/api/teams/${crew.team.id}/branch-settings`, { protectMain: false });
    }
  });
});
