// The frontend SDK (sdk/) against a real server: rooms, presence, cursors, typing, locks and live
// documents, reconnects included.
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import * as Y from 'yjs';
import { EnsembleClient, EnsembleError, type LiveDocument } from '../../sdk/src/index.ts';
import { buildComponent, buildCrew, buildDesignSystem } from '../support/factories.ts';
import { eventually } from '../support/realtime.ts';
import { startTestServer, type TestServer } from '../support/server.ts';

let server: TestServer;
let crew: Awaited<ReturnType<typeof buildCrew>>;
let ds: { id: string };
let clients: EnsembleClient[] = [];
beforeAll(async () => {
  server = await startTestServer();
  crew = await buildCrew(server);
  ds = await buildDesignSystem(server, crew.team, crew.editor);
});
afterEach(() => {
  for (const c of clients) c.close();
  clients = [];
});
afterAll(() => server.close());

function client(who: { accessToken: string } | string, reconnection = false): EnsembleClient {
  const c = new EnsembleClient({
    url: server.url,
    token: typeof who === 'string' ? who : who.accessToken,
    socket: { forceNew: true, reconnection, reconnectionDelay: 50 },
  });
  clients.push(c);
  return c;
}

const text = (live: LiveDocument) => live.doc.getText('code').toString();

describe('EnsembleClient', () => {
  it('refuses a bad token with the server’s code', async () => {
    const error = await client('not-a-token')
      .ready()
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EnsembleError);
    expect((error as EnsembleError).code).toBe('invalid_token');
  });

  it('hands a room its comments, reactions and publishes as events', async () => {
    const room = await client(crew.editor).joinDesignSystem(ds.id);
    const comments: string[] = [];
    const reactions: unknown[] = [];
    room.on('comment', (change) => comments.push(change.kind));
    room.on('reaction', (change) => reactions.push(change));
    const component = await buildComponent(server, ds.id, crew.editor);
    const made = await server.api
      .as(crew.admin)
      .post('/api/comments', { resourceType: 'component', resourceId: component.id, content: 'Looks good' });
    expect(made.status).toBe(201);
    await eventually(() => comments.includes('added'));
    expect(
      (await server.api.as(crew.admin).post(`/api/comments/${made.body.id}/reactions`, { emoji: '🎉' })).status,
    ).toBeLessThan(300);
    await eventually(() => reactions.length === 1);
    expect(reactions[0]).toEqual({ kind: 'added', commentId: made.body.id, emoji: '🎉', userId: crew.admin.id });
  });

  it('keeps presence, cursors, typing and locks of a design system', async () => {
    const a = await client(crew.editor).joinDesignSystem(ds.id);
    const b = await client(crew.admin).joinDesignSystem(ds.id);
    await eventually(() => a.presence.has(crew.admin.id) && b.presence.has(crew.editor.id));

    const cursors: unknown[] = [];
    b.on('cursor', (userId, cursor) => cursors.push({ userId, cursor }));
    for (let x = 0; x <= 10; x++) a.moveCursor({ x, y: 2 * x, elementId: 'canvas' });
    await eventually(
      () =>
        cursors.length > 0 &&
        JSON.stringify(cursors.at(-1)) ===
          JSON.stringify({ userId: crew.editor.id, cursor: { x: 10, y: 20, elementId: 'canvas' } }),
    );
    expect(cursors.length).toBeLessThan(4); // coalesced per tick, the latest arrives
    expect(b.presence.get(crew.editor.id)?.cursor).toEqual({ x: 10, y: 20, elementId: 'canvas' });

    await a.startTyping('thread-1', 'thread');
    await eventually(() => b.typing.get('thread-1')?.includes(crew.editor.id) === true);
    await a.setStatus('away');
    await eventually(() => b.presence.get(crew.editor.id)?.status === 'away');

    const component = await buildComponent(server, ds.id, crew.editor);
    await a.lock(component.id);
    await eventually(() => b.locks.get(component.id)?.userId === crew.editor.id);
    const refused = await b.lock(component.id).catch((e: unknown) => e);
    expect(refused).toMatchObject({ code: 'locked', details: { userId: crew.editor.id } });
    await a.unlock(component.id);
    await eventually(() => !b.locks.has(component.id));

    await a.leave();
    await eventually(() => !b.presence.has(crew.editor.id));
  });

  it('syncs live documents both ways, saves them durably and reports refused writes', async () => {
    const component = await buildComponent(server, ds.id, crew.editor, { code: 'start;' });
    const name = `component:${component.id}`;
    const a = await client(crew.editor).openDocument(name);
    const b = await client(crew.admin).openDocument(name);
    expect(text(a)).toBe('start;');
    const saved = new Promise<void>((resolve) => a.on('saved', resolve));
    a.doc.getText('code').insert(6, 'a;');
    b.doc.getText('code').insert(0, 'b;');
    await saved;
    await eventually(() => text(a) === text(b) && text(a).length === 'start;a;b;'.length);
    const stored = await server.services.documents.read(name, null, (d) => d.getText('code').toString());
    expect(stored).toBe(text(a));

    const viewer = await client(crew.viewer).openDocument(name);
    expect(viewer.readOnly).toBe(true);
    expect(text(viewer)).toBe(text(a));
    const refused = new Promise<unknown>((resolve) => viewer.on('error', resolve));
    viewer.doc.getText('code').insert(0, 'nope');
    expect(await refused).toMatchObject({ code: 'forbidden' });
    expect(await server.services.documents.read(name, null, (d) => d.getText('code').toString())).toBe(text(a));
  });

  it('sends edits made while disconnected once it reconnects, and re-joins its rooms', async () => {
    const component = await buildComponent(server, ds.id, crew.editor, { code: '' });
    const name = `component:${component.id}`;
    const offline = client(crew.editor, true);
    const live = await offline.openDocument(name);
    const room = await offline.joinDesignSystem(ds.id);
    const watcher = await client(crew.admin).openDocument(name);
    const watcherRoom = await clients[1]!.joinDesignSystem(ds.id);
    await eventually(() => watcherRoom.presence.has(crew.editor.id));

    const reconnected = new Promise<void>((resolve) => offline.on('connected', resolve));
    offline.socket.io.engine.close(); // the transport drops; socket.io-client reconnects by itself
    live.doc.getText('code').insert(0, 'written offline;');
    await reconnected;
    await eventually(() => text(watcher) === 'written offline;');
    await eventually(
      () => room.presence.has(crew.admin.id) && watcherRoom.presence.get(crew.editor.id)?.connections === 1,
    );
    expect(await server.services.documents.read(name, null, (d) => d.getText('code').toString())).toBe(
      'written offline;',
    );
  });

  it('accepts a Y.Doc that already has content and merges it into the server’s', async () => {
    const component = await buildComponent(server, ds.id, crew.editor, { code: 'server;' });
    const name = `component:${component.id}`;
    const local = new Y.Doc();
    local.getText('docs').insert(0, 'drafted locally');
    const live = await client(crew.editor).openDocument(name, local);
    expect(live.doc.getText('code').toString()).toBe('server;');
    await eventually(
      async () =>
        (await server.services.documents.read(name, null, (d) => d.getText('docs').toString())) === 'drafted locally',
    );
  });

  it('reconnects by itself after the server closed its connection, but not after a deliberate kick, which it reports', async () => {
    // A plain-string token: the reconnect needs no fresh one.
    const c = client(crew.editor, true);
    await c.ready();
    const reconnected = new Promise<void>((resolve) => c.on('connected', resolve));
    // The server ends the connection itself (as an operator's tool or an older node's shutdown does).
    for (const s of (await server.hub?.io.in(`user:${crew.editor.id}`).fetchSockets()) ?? []) s.disconnect(true);
    await reconnected;
    expect(c.socket.connected).toBe(true);

    // Too many refused events: the server says why, then closes; the SDK stays closed and reports it.
    const errors: string[] = [];
    c.on('error', (e: EnsembleError) => errors.push(e.code));
    const disconnected = new Promise<string>((resolve) => c.on('disconnected', resolve));
    for (let i = 0; i < 400 && c.socket.connected; i++)
      c.socket.emit('user-status', { status: 'active' }, () => undefined);
    expect(await disconnected).toBe('io server disconnect');
    await new Promise((r) => setTimeout(r, 1500));
    expect(c.socket.connected).toBe(false);
    expect(errors).toContain('rate_limited');
  });
});
