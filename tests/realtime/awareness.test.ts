// One awareness and one presence for both transports: Socket.IO subscribers and stock
// WebsocketProviders on /yjs see each other's awareness states (carets, names), /yjs users appear in
// the design system's presence with what they have open, and presence carries a custom state.
import { afterAll, afterEach, beforeAll, describe, expect, it, jest } from '@jest/globals';
import * as encoding from 'lib0/encoding';
import * as awarenessProtocol from 'y-protocols/awareness';
import * as Y from 'yjs';
import { buildComponent, buildCrew, buildDesignSystem } from '../support/factories.ts';
import { call, collect, connect, eventually, joinDesignSystem, next, sleep, type Client } from '../support/realtime.ts';
import { startTestServer, type TestServer } from '../support/server.ts';
import { provide, type Provided } from '../support/yjs-provider.ts';

let server: TestServer;
let crew: Awaited<ReturnType<typeof buildCrew>>;
let providers: Provided[] = [];
let sockets: Client[] = [];
beforeAll(async () => {
  // Stock providers report permission-denied messages with console.warn.
  jest.spyOn(console, 'warn').mockImplementation(() => undefined);
  server = await startTestServer({ MAX_CONNECTIONS_PER_USER: '50' });
  crew = await buildCrew(server);
});
afterEach(() => {
  for (const p of providers) p.close();
  for (const s of sockets) s.close();
  providers = [];
  sockets = [];
});
afterAll(() => server.close());

type Who = { accessToken: string };
const open = (name: string, who: Who) => {
  const p = provide(server.url, name, who.accessToken);
  providers.push(p);
  return p;
};
const socketOf = async (who: Who) => {
  const s = await connect(server, who);
  sockets.push(s);
  return s;
};
/** A fresh design system and one of its components' documents. */
const freshDocument = async () => {
  const ds = await buildDesignSystem(server, crew.team, crew.editor);
  const c = await buildComponent(server, ds.id, crew.editor);
  return { dsId: ds.id, name: `component:${c.id}` };
};

const b64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64');
const nameIn = (aw: awarenessProtocol.Awareness, id: number) =>
  (aw.getStates().get(id) as { user?: { name?: string } } | undefined)?.user?.name;

/** Subscribes `socket` to `name` and mirrors the document's awareness (ack snapshot, then doc-awareness) into a local Awareness. */
async function subscribe(socket: Client, name: string) {
  const aw = new awarenessProtocol.Awareness(new Y.Doc());
  const received: string[] = [];
  socket.on('doc-awareness', (p: { docName: string; update: string }) => {
    if (p.docName !== name) return;
    received.push(p.update);
    awarenessProtocol.applyAwarenessUpdate(aw, Buffer.from(p.update, 'base64'), 'server');
  });
  const ack = await call(socket, 'doc-subscribe', { docName: name, encoding: 'base64' });
  expect(ack.ok).toBe(true);
  expect(typeof ack.data.awareness).toBe('string');
  awarenessProtocol.applyAwarenessUpdate(aw, Buffer.from(ack.data.awareness as string, 'base64'), 'server');
  return { aw, received, ack };
}

/** Sets `aw`'s local state and sends it over `socket`; returns the ack. */
function setState(
  socket: Client,
  name: string,
  aw: awarenessProtocol.Awareness,
  state: Record<string, unknown> | null,
) {
  aw.setLocalState(state);
  return call(socket, 'doc-awareness', {
    docName: name,
    update: b64(awarenessProtocol.encodeAwarenessUpdate(aw, [aw.clientID])),
  });
}

/** An awareness update with the given entries, as a client could forge it. */
function forged(entries: { clientID: number; clock: number; state: string }[]): string {
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, entries.length);
  for (const { clientID, clock, state } of entries) {
    encoding.writeVarUint(e, clientID);
    encoding.writeVarUint(e, clock);
    encoding.writeVarString(e, state);
  }
  return b64(encoding.toUint8Array(e));
}

describe('doc-awareness', () => {
  it('a Socket.IO subscriber and a stock WebsocketProvider see each other’s states, both ways', async () => {
    const { name } = await freshDocument();
    const provider = open(name, crew.editor);
    await provider.synced;
    const socket = await socketOf(crew.admin);
    const sub = await subscribe(socket, name);

    // Provider → Socket.IO.
    provider.provider.awareness.setLocalStateField('user', { name: 'Pia' });
    await eventually(() => nameIn(sub.aw, provider.doc.clientID) === 'Pia');

    // Socket.IO → provider; the sender is not echoed its own change.
    const mine = new awarenessProtocol.Awareness(new Y.Doc());
    const seenBefore = sub.received.length;
    expect(await setState(socket, name, mine, { user: { name: 'Sam', cursor: 4 } })).toEqual({ ok: true });
    await eventually(() => nameIn(provider.provider.awareness, mine.clientID) === 'Sam');
    await sleep(150);
    expect(sub.received.slice(seenBefore).some((u) => Buffer.from(u, 'base64').includes('Sam'))).toBe(false);

    // A late subscriber gets everyone at once in its ack.
    const late = await subscribe(await socketOf(crew.viewer), name);
    expect(nameIn(late.aw, provider.doc.clientID)).toBe('Pia');
    expect(nameIn(late.aw, mine.clientID)).toBe('Sam');
    // Another subscriber hears the first one's later changes.
    await setState(socket, name, mine, { user: { name: 'Sam', cursor: 9 } });
    await eventually(
      () => (late.aw.getStates().get(mine.clientID) as { user: { cursor: number } } | undefined)?.user.cursor === 9,
    );
  });

  it('an empty document answers an empty-states awareness in the subscribe ack', async () => {
    const { name } = await freshDocument();
    const { ack, aw } = await subscribe(await socketOf(crew.editor), name);
    expect(ack.data.awareness).toBe(b64(Uint8Array.from([0])));
    expect(aw.getStates().size).toBe(1); // its own (empty) local state only
  });

  it('the states of a Socket.IO subscriber are removed when it unsubscribes or disconnects, and the provider sees it', async () => {
    const { name } = await freshDocument();
    const provider = open(name, crew.editor);
    await provider.synced;
    const a = await socketOf(crew.admin);
    const b = await socketOf(crew.owner);
    await subscribe(a, name);
    await subscribe(b, name);
    const awA = new awarenessProtocol.Awareness(new Y.Doc());
    const awB = new awarenessProtocol.Awareness(new Y.Doc());
    await setState(a, name, awA, { user: { name: 'Ada' } });
    await setState(b, name, awB, { user: { name: 'Bo' } });
    await eventually(
      () =>
        nameIn(provider.provider.awareness, awA.clientID) === 'Ada' &&
        nameIn(provider.provider.awareness, awB.clientID) === 'Bo',
    );

    a.disconnect();
    await eventually(() => !provider.provider.awareness.getStates().has(awA.clientID));
    expect((await call(b, 'doc-unsubscribe', { docName: name })).ok).toBe(true);
    await eventually(() => !provider.provider.awareness.getStates().has(awB.clientID));
  });

  it('states for a client id the connection does not hold are not applied', async () => {
    const { name } = await freshDocument();
    const alice = open(name, crew.editor);
    const observer = open(name, crew.owner);
    await Promise.all([alice.synced, observer.synced]);
    alice.provider.awareness.setLocalStateField('user', { name: 'Alice' });
    const aliceId = alice.doc.clientID;
    await eventually(() => nameIn(observer.provider.awareness, aliceId) === 'Alice');

    const mallory = await socketOf(crew.viewer);
    const witness = await subscribe(await socketOf(crew.admin), name);
    await subscribe(mallory, name);
    await eventually(() => nameIn(witness.aw, aliceId) === 'Alice');
    const spoof = forged([
      { clientID: 0x5eed, clock: 1, state: JSON.stringify({ user: { name: 'Mallory' } }) },
      { clientID: aliceId, clock: 1000, state: JSON.stringify({ user: { name: 'Mallory as Alice' } }) },
    ]);
    expect(await call(mallory, 'doc-awareness', { docName: name, update: spoof })).toEqual({ ok: true });
    expect(
      await call(mallory, 'doc-awareness', {
        docName: name,
        update: forged([{ clientID: aliceId, clock: 1001, state: 'null' }]),
      }),
    ).toEqual({ ok: true });
    await eventually(
      () => nameIn(observer.provider.awareness, 0x5eed) === 'Mallory' && nameIn(witness.aw, 0x5eed) === 'Mallory',
    );
    await sleep(200);
    expect(nameIn(observer.provider.awareness, aliceId)).toBe('Alice');
    expect(nameIn(witness.aw, aliceId)).toBe('Alice');
    // Alice's own next change still goes through.
    alice.provider.awareness.setLocalStateField('user', { name: 'Alice', cursor: 7 });
    await eventually(
      () => (witness.aw.getStates().get(aliceId) as { user?: { cursor?: number } } | undefined)?.user?.cursor === 7,
    );
  });

  it('refuses malformed updates precisely, and the connection and server keep serving', async () => {
    const { name, dsId } = await freshDocument();
    const provider = open(name, crew.editor);
    await provider.synced;
    const socket = await socketOf(crew.admin);
    const tokens = `tokens:${dsId}`;
    expect(
      (await call(socket, 'doc-awareness', { docName: name, update: b64(Uint8Array.from([0])) })).error,
    ).toMatchObject({ code: 'not_joined', message: 'Not subscribed to this document' });
    await subscribe(socket, name);

    const notBase64 = await call(socket, 'doc-awareness', { docName: name, update: 'not base64!' });
    expect(notBase64.error).toMatchObject({
      code: 'validation_failed',
      details: [expect.objectContaining({ path: 'update' })],
    });
    const cutShort = await call(socket, 'doc-awareness', { docName: name, update: b64(Uint8Array.from([5, 1, 2])) });
    expect(cutShort.error).toMatchObject({
      code: 'invalid_update',
      message: expect.stringMatching(/^The awareness update is malformed/),
    });
    const notJson = await call(socket, 'doc-awareness', {
      docName: name,
      update: forged([{ clientID: 77, clock: 1, state: '{not json' }]),
    });
    expect(notJson.error).toMatchObject({
      code: 'invalid_update',
      message: expect.stringMatching(/^The awareness update is malformed/),
    });
    const huge = await call(socket, 'doc-awareness', {
      docName: name,
      update: forged([{ clientID: 78, clock: 1, state: JSON.stringify({ pad: 'x'.repeat(17 * 1024) }) }]),
    });
    expect(huge.error).toMatchObject({ code: 'payload_too_large' });
    expect(
      (await call(socket, 'doc-awareness', { docName: tokens, update: b64(Uint8Array.from([0])) })).error?.code,
    ).toBe('not_joined');
    expect((await call(socket, 'doc-awareness', { docName: 'nope', update: '' })).error?.code).toBe(
      'validation_failed',
    );

    // Nothing of those was applied; a good one still is.
    await sleep(100);
    expect([...provider.provider.awareness.getStates().keys()]).toEqual([provider.doc.clientID]);
    const mine = new awarenessProtocol.Awareness(new Y.Doc());
    expect(await setState(socket, name, mine, { user: { name: 'Still here' } })).toEqual({ ok: true });
    await eventually(() => nameIn(provider.provider.awareness, mine.clientID) === 'Still here');
    expect(socket.connected).toBe(true);
  });
});

describe('presence across transports', () => {
  it('a /yjs user appears in the room’s presence with what they view, and leaves when the provider disconnects', async () => {
    const { dsId, name } = await freshDocument();
    const { socket } = await joinDesignSystem(server, crew.admin, dsId, sockets);
    const joined = next(socket, 'user-joined', (p: { user: { id: string } }) => p.user.id === crew.viewer.id);
    const seen = next(socket, 'presence-update', (p: { users: { user: { id: string } }[] }) =>
      p.users.some((e) => e.user.id === crew.viewer.id),
    );
    const provider = open(name, crew.viewer);
    await provider.synced;
    expect(await joined).toEqual({
      user: { id: crew.viewer.id, name: crew.viewer.name, avatarUrl: null },
      designSystemId: dsId,
    });
    const entry = (await seen).users.find((e) => e.user.id === crew.viewer.id);
    expect(entry).toMatchObject({ viewing: [name], state: {}, connections: 1, status: 'active' });
    const rest = await server.api.as(crew.admin).get(`/api/design-systems/${dsId}/presence`);
    expect(rest.body.users.map((u: { user: { id: string } }) => u.user.id).sort()).toEqual(
      [crew.admin.id, crew.viewer.id].sort(),
    );

    const left = next(socket, 'user-left', (p: { userId: string }) => p.userId === crew.viewer.id);
    provider.close();
    expect(await left).toEqual({ userId: crew.viewer.id, designSystemId: dsId });
    await eventually(
      async () => !(await server.services.presence.list(dsId)).some((e) => e.user.id === crew.viewer.id),
    );
  });

  it('viewing is the sorted union of a user’s documents over Socket.IO and /yjs', async () => {
    const { dsId, name } = await freshDocument();
    const tokens = `tokens:${dsId}`;
    const { socket } = await joinDesignSystem(server, crew.editor, dsId, sockets);
    const viewingOf = async () =>
      (await server.services.presence.list(dsId)).find((e) => e.user.id === crew.editor.id)?.viewing;
    const updates = collect<{ users: { user: { id: string }; viewing: string[] }[] }>(socket, 'presence-update');
    await subscribe(socket, tokens);
    await eventually(() => updates.some((u) => u.users.some((e) => e.viewing.join() === tokens)));
    await subscribe(socket, name);
    const provider = open(name, crew.editor);
    await provider.synced;
    await eventually(
      async () =>
        (await server.services.presence.list(dsId)).find((e) => e.user.id === crew.editor.id)?.connections === 2,
    );
    expect(await viewingOf()).toEqual([name, tokens]);
    // A document open twice is listed once; closing one of them keeps it.
    expect((await call(socket, 'doc-unsubscribe', { docName: name })).ok).toBe(true);
    expect(await viewingOf()).toEqual([name, tokens]);
    provider.close();
    await eventually(async () => (await viewingOf())?.join() === tokens);
  });

  it('presence-state replaces the caller’s custom state and the room hears it', async () => {
    const { dsId } = await freshDocument();
    const me = await joinDesignSystem(server, crew.editor, dsId, sockets);
    const other = await joinDesignSystem(server, crew.viewer, dsId, sockets);
    const heard = next(
      other.socket,
      'presence-update',
      (p: { users: { user: { id: string }; state: Record<string, unknown> }[] }) =>
        p.users.some((e) => e.user.id === crew.editor.id && e.state.color === '#f00'),
    );
    expect(
      await call(me.socket, 'presence-state', {
        designSystemId: dsId,
        state: { color: '#f00', tool: { name: 'pen' } },
      }),
    ).toEqual({ ok: true });
    const entry = (await heard).users.find((e) => e.user.id === crew.editor.id);
    expect(entry?.state).toEqual({ color: '#f00', tool: { name: 'pen' } });
    // Replaced, not merged.
    expect(await call(me.socket, 'presence-state', { designSystemId: dsId, state: { color: '#0f0' } })).toEqual({
      ok: true,
    });
    expect((await server.services.presence.list(dsId)).find((e) => e.user.id === crew.editor.id)?.state).toEqual({
      color: '#0f0',
    });

    expect(
      (await call(me.socket, 'presence-state', { designSystemId: dsId, state: { pad: 'x'.repeat(2100) } })).error?.code,
    ).toBe('payload_too_large');
    expect(
      (await call(me.socket, 'presence-state', { designSystemId: dsId, state: ['not', 'an', 'object'] })).error?.code,
    ).toBe('validation_failed');
    const { dsId: elsewhere } = await freshDocument();
    expect((await call(me.socket, 'presence-state', { designSystemId: elsewhere, state: {} })).error?.code).toBe(
      'not_joined',
    );
  });

  it('the join ack names the connection’s own user', async () => {
    const { dsId } = await freshDocument();
    const { ack } = await joinDesignSystem(server, crew.editor, dsId, sockets);
    expect(ack.data.self).toEqual({ id: crew.editor.id, name: crew.editor.name, avatarUrl: null });
    expect(ack.data.presence).toEqual([expect.objectContaining({ user: ack.data.self, viewing: [], state: {} })]);
  });
});
