import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import WebSocket from 'ws';
import * as Y from 'yjs';
import { buildComponent, buildCrew, buildDesignSystem } from '../support/factories.ts';
import { call, connect, eventually, type Client } from '../support/realtime.ts';
import { startTestServer, type TestServer } from '../support/server.ts';
import { provide, type Provided } from '../support/yjs-provider.ts';

let server: TestServer;
let crew: Awaited<ReturnType<typeof buildCrew>>;
let ds: { id: string };
let providers: Provided[] = [];
let sockets: Client[] = [];
beforeAll(async () => {
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

const open = (name: string, who: { accessToken: string }) => {
  const p = provide(server.url, name, who.accessToken);
  providers.push(p);
  return p;
};

/** The HTTP status a refused upgrade answers with. */
const upgradeStatus = (path: string) =>
  new Promise<number>((resolve) => {
    const ws = new WebSocket(`${server.url.replace(/^http/, 'ws')}${path}`);
    ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
    ws.on('open', () => {
      ws.close();
      resolve(101);
    });
    ws.on('error', () => undefined);
  });

describe('y-websocket endpoint', () => {
  it('syncs stock WebsocketProvider clients with each other and with the stored document', async () => {
    const c = await buildComponent(server, ds.id, crew.editor, { code: 'hello' });
    const name = `component:${c.id}`;
    const a = open(name, crew.editor);
    const b = open(name, crew.admin);
    await Promise.all([a.synced, b.synced]);
    expect(a.doc.getText('code').toString()).toBe('hello');
    a.doc.getText('code').insert(5, ' world');
    b.doc.getText('code').insert(0, '>> ');
    await eventually(
      () =>
        a.doc.getText('code').toString() === '>> hello world' && b.doc.getText('code').toString() === '>> hello world',
    );
    await eventually(
      async () =>
        (await server.services.documents.read(name, null, (d) => d.getText('code').toString())) === '>> hello world',
    );
    // Durable: the update log holds them.
    expect(await server.db.documentUpdate.count({ where: { docName: name } })).toBeGreaterThan(0);
  });

  it('shares documents with Socket.IO clients both ways', async () => {
    const c = await buildComponent(server, ds.id, crew.editor, { code: '' });
    const name = `component:${c.id}`;
    const yws = open(name, crew.editor);
    await yws.synced;
    const socket = await connect(server, crew.admin);
    sockets.push(socket);
    const sub = await call(socket, 'doc-subscribe', { docName: name });
    const sdoc = new Y.Doc();
    Y.applyUpdate(sdoc, new Uint8Array(sub.data.state));
    socket.on('doc-update', (p: { update: ArrayBuffer }) => Y.applyUpdate(sdoc, new Uint8Array(p.update)));
    yws.doc.getText('code').insert(0, 'from provider;');
    await eventually(() => sdoc.getText('code').toString() === 'from provider;');
    let update: Uint8Array | null = null;
    sdoc.once('update', (u: Uint8Array) => (update = u));
    sdoc.getText('code').insert(sdoc.getText('code').length, 'from socket;');
    expect((await call(socket, 'doc-update', { docName: name, update })).ok).toBe(true);
    await eventually(() => yws.doc.getText('code').toString() === 'from provider;from socket;');
  });

  it('relays awareness between providers', async () => {
    const c = await buildComponent(server, ds.id, crew.editor);
    const name = `component:${c.id}`;
    const a = open(name, crew.editor);
    const b = open(name, crew.admin);
    await Promise.all([a.synced, b.synced]);
    a.provider.awareness.setLocalStateField('user', { name: 'Ann', cursor: 3 });
    await eventually(() =>
      [...b.provider.awareness.getStates().values()].some(
        (s) => (s as { user?: { name: string } }).user?.name === 'Ann',
      ),
    );
  });

  it('refuses bad tokens, other teams and unknown documents before the upgrade', async () => {
    const c = await buildComponent(server, ds.id, crew.editor);
    expect(await upgradeStatus(`/yjs/component:${c.id}`)).toBe(401);
    expect(await upgradeStatus(`/yjs/component:${c.id}?token=nope`)).toBe(401);
    expect(await upgradeStatus(`/yjs/component:${c.id}?token=${crew.outsider.accessToken}`)).toBe(404);
    expect(await upgradeStatus(`/yjs/not-a-doc?token=${crew.editor.accessToken}`)).toBe(404);
    expect(await upgradeStatus(`/yjs/component:${c.id}?token=${crew.viewer.accessToken}`)).toBe(101);
  });

  it('opens documents under their canonical name only: an upper-case id is refused and stores nothing', async () => {
    const c = await buildComponent(server, ds.id, crew.editor);
    const shadow = `component:${c.id.toUpperCase()}`;
    expect(await upgradeStatus(`/yjs/${shadow}?token=${crew.editor.accessToken}`)).toBe(404);
    const socket = await connect(server, crew.editor);
    sockets.push(socket);
    const ack = await call(socket, 'doc-subscribe', { docName: shadow });
    expect(ack.error?.code).toBe('validation_failed');
    expect((await call(socket, 'doc-update', { docName: shadow, update: new Uint8Array([0, 0]) })).error?.code).toBe(
      'validation_failed',
    );
    const rows = await server.db.$queryRaw<
      { n: bigint }[]
    >`SELECT count(*) AS n FROM documents WHERE lower(name) = lower(${shadow}) AND name <> lower(name)`;
    expect(Number(rows[0]?.n)).toBe(0);
  });

  it('lets viewers read but never write', async () => {
    const c = await buildComponent(server, ds.id, crew.editor, { code: 'locked down' });
    const name = `component:${c.id}`;
    const viewer = open(name, crew.viewer);
    const editor = open(name, crew.editor);
    await Promise.all([viewer.synced, editor.synced]);
    expect(viewer.doc.getText('code').toString()).toBe('locked down');
    viewer.doc.getText('code').insert(0, 'VANDAL ');
    editor.doc.getText('code').insert(11, '!');
    await eventually(() => viewer.doc.getText('code').toString().endsWith('!'));
    await new Promise((r) => setTimeout(r, 200));
    expect(editor.doc.getText('code').toString()).toBe('locked down!');
    expect(await server.services.documents.read(name, null, (d) => d.getText('code').toString())).toBe('locked down!');
  });

  it('survives malformed messages: the connection and document carry on', async () => {
    const c = await buildComponent(server, ds.id, crew.editor, { code: 'ok' });
    const name = `component:${c.id}`;
    const ws = new WebSocket(`${server.url.replace(/^http/, 'ws')}/yjs/${name}?token=${crew.editor.accessToken}`);
    await new Promise((r) => ws.once('open', r));
    ws.send(Buffer.from([0, 2, 50, 1, 2, 3])); // a sync update whose payload is garbage
    ws.send(Buffer.from([250, 250, 250]));
    const editor = open(name, crew.admin);
    await editor.synced;
    editor.doc.getText('code').insert(2, '!');
    await eventually(
      async () => (await server.services.documents.read(name, null, (d) => d.getText('code').toString())) === 'ok!',
    );
    expect(ws.readyState).toBe(WebSocket.OPEN);
    ws.close();
  });
});
