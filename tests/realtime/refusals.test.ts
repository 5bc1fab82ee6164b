// Every refusal converges: under another user's lock, as a viewer, and over a live rule, the
// refused client and every other client (stock WebsocketProvider, socket.io-client) end with the
// server's document, the refused client is told why, and its later edits reach everyone.
import { afterAll, afterEach, beforeAll, describe, expect, it, jest } from '@jest/globals';
import * as Y from 'yjs';
import { hasPending } from '../../src/services/documents/yjs-internals.ts';
import { buildComponent, buildCrew, buildDesignSystem, buildTeam, buildUser } from '../support/factories.ts';
import { call, collect, connect, eventually, joinDesignSystem, type Client } from '../support/realtime.ts';
import { startTestServer, type TestServer } from '../support/server.ts';
import { provide, type Provided } from '../support/yjs-provider.ts';

let server: TestServer;
let crew: Awaited<ReturnType<typeof buildCrew>>;
let ds: { id: string };
let providers: Provided[] = [];
let sockets: Client[] = [];
beforeAll(async () => {
  // The stock provider logs every permission-denied message with console.warn.
  jest.spyOn(console, 'warn').mockImplementation(() => undefined);
  server = await startTestServer();
  crew = await buildCrew(server);
  ds = await buildDesignSystem(server, crew.team, crew.editor);
});
afterEach(() => {
  for (const p of providers) p.close();
  for (const s of sockets) s.close();
  providers = [];
  sockets = [];
});
afterAll(() => server.close());

const open = async (name: string, who: { accessToken: string }) => {
  const p = provide(server.url, name, who.accessToken);
  providers.push(p);
  await p.synced;
  return p;
};

/** The server's copy as a plain snapshot of every root. */
const serverState = (name: string) =>
  server.services.documents.read(name, null, (d) =>
    JSON.stringify({
      meta: d.getMap('meta').toJSON(),
      code: d.getText('code').toString(),
      props: d.getMap('props').toJSON(),
    }),
  );
const clientState = (doc: Y.Doc) =>
  JSON.stringify({
    meta: doc.getMap('meta').toJSON(),
    code: doc.getText('code').toString(),
    props: doc.getMap('props').toJSON(),
  });

/** Waits until every copy equals the server's, with nothing pending anywhere. */
async function converged(name: string, docs: Y.Doc[]): Promise<string> {
  await eventually(async () => {
    const want = await serverState(name);
    return docs.every((d) => clientState(d) === want && !hasPending(d));
  }, 8000);
  expect(await server.services.documents.read(name, null, (d) => hasPending(d))).toBe(false);
  return serverState(name);
}

async function lockAs(who: { accessToken: string }, componentId: string): Promise<Client> {
  const { socket } = await joinDesignSystem(server, who, ds.id, sockets);
  const ack = await call(socket, 'component-edit-start', { componentId });
  expect(ack.ok).toBe(true);
  return socket;
}

describe('stock WebsocketProvider', () => {
  it('under another user’s lock: reverted for the sender, unseen by peers, told why; later edits reach everyone', async () => {
    const c = await buildComponent(server, ds.id, crew.editor, { code: 'base;' });
    const name = `component:${c.id}`;
    const holder = await lockAs(crew.admin, c.id);
    const writer = await open(name, crew.editor);
    const peer = await open(name, crew.owner);
    writer.doc.getText('code').insert(5, 'refused;');
    writer.doc.getText('code').delete(0, 2);
    await eventually(() => writer.denied.length > 0);
    expect(writer.denied[0]).toMatch(/^locked: /);
    const state = await converged(name, [writer.doc, peer.doc]);
    expect(JSON.parse(state).code).toBe('base;');

    expect((await call(holder, 'component-edit-end', { componentId: c.id })).ok).toBe(true);
    writer.doc.getText('code').insert(writer.doc.getText('code').length, 'later;');
    await eventually(async () => JSON.parse(await serverState(name)).code === 'base;later;');
    await converged(name, [writer.doc, peer.doc]);
    const rest = await server.api.as(crew.viewer).get(`/api/design-systems/${ds.id}/components/${c.id}`);
    expect(rest.body.code).toBe('base;later;');
  });

  it('as a viewer: every edit is reverted and explained, and the document stays the server’s', async () => {
    const c = await buildComponent(server, ds.id, crew.editor, { code: 'read only' });
    const name = `component:${c.id}`;
    const viewer = await open(name, crew.viewer);
    const editor = await open(name, crew.editor);
    viewer.doc.getText('code').insert(0, 'nope ');
    viewer.doc.getMap('props').set('evil', true);
    await eventually(() => viewer.denied.some((r) => r.startsWith('forbidden: ')));
    await converged(name, [viewer.doc, editor.doc]);
    expect(JSON.parse(await serverState(name))).toMatchObject({ code: 'read only', props: {} });
    // The editor still writes, and the viewer sees it.
    editor.doc.getText('code').insert(0, 'still ');
    await eventually(() => viewer.doc.getText('code').toString() === 'still read only');
  });

  it('over a live rule: a 300-character name and a taken name are reverted; the row and the document agree', async () => {
    const taken = await buildComponent(server, ds.id, crew.editor, { name: 'TakenName' });
    const c = await buildComponent(server, ds.id, crew.editor, { name: 'Original', code: 'x' });
    const name = `component:${c.id}`;
    const writer = await open(name, crew.editor);
    const peer = await open(name, crew.admin);
    writer.doc.getMap('meta').set('name', 'N'.repeat(300));
    await eventually(() => writer.denied.some((r) => r.startsWith('validation_failed')));
    await converged(name, [writer.doc, peer.doc]);
    writer.doc.getMap('meta').set('name', taken.name);
    await eventually(() => writer.denied.some((r) => r.startsWith('conflict')), 8000);
    await converged(name, [writer.doc, peer.doc]);
    writer.doc.getMap('meta').set('category', { not: 'a string' } as unknown as string);
    writer.doc.getMap('hidden').set('payload', 'x');
    await eventually(
      async () =>
        JSON.parse(await serverState(name)).meta.category === 'actions' && writer.doc.getMap('hidden').size === 0,
    );
    await converged(name, [writer.doc, peer.doc]);
    expect(JSON.parse(await serverState(name)).meta.name).toBe('Original');

    writer.doc.getMap('meta').set('name', 'Renamed');
    await eventually(async () => JSON.parse(await serverState(name)).meta.name === 'Renamed');
    await converged(name, [writer.doc, peer.doc]);
    const put = await server.api
      .as(crew.editor)
      .put(`/api/design-systems/${ds.id}/components/${c.id}`, { code: 'after' });
    expect(put.status).toBe(200);
    expect(put.body).toMatchObject({ name: 'Renamed', code: 'after' });
  });
});

describe('over the size limit', () => {
  let small: TestServer;
  beforeAll(async () => {
    small = await startTestServer({ MAX_DOC_UPDATE_BYTES: '4096' });
  });
  afterAll(() => small.close());

  it('reverts an oversize paste for a stock provider, and the document stays small', async () => {
    const owner = await buildUser(small);
    const team = await buildTeam(small, owner);
    const dsSmall = await buildDesignSystem(small, team, owner);
    const c = await buildComponent(small, dsSmall.id, owner, { code: 'small' });
    const name = `component:${c.id}`;
    const writer = provide(small.url, name, owner.accessToken);
    const peer = provide(small.url, name, owner.accessToken);
    providers.push(writer, peer);
    await Promise.all([writer.synced, peer.synced]);
    writer.doc.getText('code').insert(0, 'p'.repeat(6000));
    await eventually(() => writer.denied.some((r) => r.startsWith('update_too_large')));
    await eventually(
      () => writer.doc.getText('code').toString() === 'small' && peer.doc.getText('code').toString() === 'small',
    );
    writer.doc.getText('code').insert(5, '!');
    await eventually(
      async () => (await small.services.documents.read(name, null, (d) => d.getText('code').toString())) === 'small!',
    );
    await eventually(() => peer.doc.getText('code').toString() === 'small!');
  });
});

describe('socket.io-client', () => {
  it('refusals answer the ack and update-refused, and the compensation arrives before the ack', async () => {
    const c = await buildComponent(server, ds.id, crew.editor, { code: 'abc' });
    const name = `component:${c.id}`;
    const holder = await lockAs(crew.admin, c.id);
    const writer = await connect(server, crew.editor);
    sockets.push(writer);
    const doc = new Y.Doc();
    const sub = await call(writer, 'doc-subscribe', { docName: name });
    Y.applyUpdate(doc, new Uint8Array(sub.data.state));
    writer.on('doc-update', (p: { update: ArrayBuffer }) => Y.applyUpdate(doc, new Uint8Array(p.update), 'server'));
    const refusedEvents = collect(writer, 'update-refused');
    const updates: Uint8Array[] = [];
    doc.on('update', (u: Uint8Array, origin: unknown) => origin !== 'server' && updates.push(u));
    doc.getText('code').insert(3, 'def');
    const ack = await call(writer, 'doc-update', { docName: name, update: updates[0] });
    expect(ack.error?.code).toBe('locked');
    // Compensated by the time the ack arrives.
    expect(doc.getText('code').toString()).toBe('abc');
    await eventually(() => refusedEvents.length === 1);
    expect(refusedEvents[0]).toMatchObject({ docName: name, code: 'locked' });
    await call(holder, 'component-edit-end', { componentId: c.id });
    doc.getText('code').insert(3, '!');
    expect((await call(writer, 'doc-update', { docName: name, update: updates[1] })).ok).toBe(true);
    expect(JSON.parse(await serverState(name)).code).toBe('abc!');
  });

  it('asks for a resync when an update depends on changes the server does not have', async () => {
    const c = await buildComponent(server, ds.id, crew.editor, { code: '' });
    const name = `component:${c.id}`;
    const writer = await connect(server, crew.editor);
    sockets.push(writer);
    const doc = new Y.Doc();
    Y.applyUpdate(doc, new Uint8Array((await call(writer, 'doc-subscribe', { docName: name })).data.state));
    const updates: Uint8Array[] = [];
    doc.on('update', (u: Uint8Array) => updates.push(u));
    doc.getText('code').insert(0, 'first');
    doc.getText('code').insert(5, 'second');
    const ack = await call(writer, 'doc-update', { docName: name, update: updates[1] });
    expect(ack.error?.code).toBe('resync_required');
    expect(await server.services.documents.read(name, null, (d) => hasPending(d))).toBe(false);
    expect((await call(writer, 'doc-update', { docName: name, update: Y.encodeStateAsUpdate(doc) })).ok).toBe(true);
    expect(JSON.parse(await serverState(name)).code).toBe('firstsecond');
  });

  it('closes a connection refused too often', async () => {
    const c = await buildComponent(server, ds.id, crew.editor, { code: '' });
    const name = `component:${c.id}`;
    const viewer = await connect(server, crew.viewer);
    sockets.push(viewer);
    const doc = new Y.Doc();
    Y.applyUpdate(doc, new Uint8Array((await call(viewer, 'doc-subscribe', { docName: name })).data.state));
    const errors = collect(viewer, 'error');
    const gone = new Promise((resolve) => viewer.once('disconnect', resolve));
    for (let i = 0; i < server.config.SOCKET_ABUSE_DISCONNECT_AFTER; i++) {
      const updates: Uint8Array[] = [];
      doc.once('update', (u: Uint8Array) => updates.push(u));
      doc.getText('code').insert(0, 'x');
      void call(viewer, 'doc-update', { docName: name, update: updates[0] }, 2000).catch(() => undefined);
    }
    await gone;
    expect(errors).toContainEqual(expect.objectContaining({ code: 'too_many_refusals' }));
    expect(JSON.parse(await serverState(name)).code).toBe('');
  });
});
