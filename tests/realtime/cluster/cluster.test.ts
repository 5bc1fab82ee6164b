// Two Ensemble nodes on one database and one Redis behave as one: presence, locks, component
// broadcasts and live documents (Socket.IO and y-websocket) cross from node to node.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { WebSocket } from 'ws';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { testRun } from '../../support/database.ts';
import { buildComponent, buildCrew, buildDesignSystem, type TestUser } from '../../support/factories.ts';
import { call, connect, eventually, next, type Client } from '../../support/realtime.ts';
import { startTestServer, type TestServer } from '../../support/server.ts';
import { edit } from '../../support/yjs-client.ts';

let a: TestServer;
let b: TestServer;
let crew: Awaited<ReturnType<typeof buildCrew>>;
let ds: { id: string; teamId: string; name: string };
const clients: Client[] = [];
const providers: WebsocketProvider[] = [];
const docs: Y.Doc[] = [];

beforeAll(async () => {
  // Same database (the worker's), same Redis prefix, same JWT secret: one cluster of two nodes.
  const shared = {
    REDIS_KEY_PREFIX: `${testRun()}:cluster:${randomBytes(4).toString('hex')}:`,
    JWT_SECRET: randomBytes(32).toString('hex'),
    MATERIALISE_DEBOUNCE_MS: '50',
    MAX_CONNECTIONS_PER_USER: '100',
    SOCKET_RATE_LIMIT_PER_SECOND: '1000',
  };
  // One after the other: the first clones the worker database, the second reuses it.
  // Node A compacts only when told to (the last test races loads against compactions).
  a = await startTestServer({ ...shared, DOC_COMPACT_AFTER_UPDATES: '1000000' });
  b = await startTestServer(shared);
  crew = await buildCrew(a);
  ds = await buildDesignSystem(a, crew.team, crew.owner);
});

afterAll(async () => {
  for (const p of providers) {
    p.destroy();
    p.awareness.destroy();
    p.doc.destroy();
  }
  for (const d of docs) d.destroy();
  for (const c of clients) c.close();
  await Promise.all([a?.close(), b?.close()]);
});

/** A Socket.IO client on `server`, closed after the suite. */
async function client(server: TestServer, user: TestUser): Promise<Client> {
  const c = await connect(server, user);
  clients.push(c);
  return c;
}

/** A client on `server` that joined the design system. */
async function joined(server: TestServer, user: TestUser): Promise<Client> {
  const c = await client(server, user);
  const ack = await call(c, 'join-design-system', { designSystemId: ds.id });
  expect(ack).toMatchObject({ ok: true });
  return c;
}

/** Binary as Socket.IO delivers it, or base64. */
const bytesOf = (value: ArrayBuffer | Uint8Array | string): Uint8Array =>
  typeof value === 'string' ? new Uint8Array(Buffer.from(value, 'base64')) : new Uint8Array(value);

/** A client-side replica of a document kept up to date from `doc-update`s. */
async function replica(
  c: Client,
  name: string,
  encoding: 'binary' | 'base64' = 'binary',
): Promise<{ doc: Y.Doc; received: Uint8Array[] }> {
  const ack = await call(c, 'doc-subscribe', { docName: name, encoding });
  expect(ack).toMatchObject({ ok: true, data: { docName: name } });
  const doc = new Y.Doc();
  docs.push(doc);
  Y.applyUpdate(doc, bytesOf(ack.data.state));
  const received: Uint8Array[] = [];
  c.on('doc-update', (p: { docName: string; update: Uint8Array | string }) => {
    if (p.docName !== name) return;
    expect(typeof p.update === 'string').toBe(encoding === 'base64');
    const u = bytesOf(p.update);
    received.push(u);
    Y.applyUpdate(doc, u, 'remote');
  });
  return { doc, received };
}

/** The text of `code` in a full state fetched by a fresh subscription on `server`. */
async function freshText(server: TestServer, user: TestUser, name: string): Promise<string> {
  const c = await client(server, user);
  const ack = await call(c, 'doc-subscribe', { docName: name });
  expect(ack).toMatchObject({ ok: true });
  const doc = new Y.Doc();
  Y.applyUpdate(doc, new Uint8Array(ack.data.state));
  const text = doc.getText('code').toString();
  doc.destroy();
  c.close();
  return text;
}

/** A stock y-websocket provider on `server` for document `name`. */
function provider(server: TestServer, user: TestUser, name: string): WebsocketProvider {
  const doc = new Y.Doc();
  const p = new WebsocketProvider(`${server.url.replace(/^http/, 'ws')}/yjs`, name, doc, {
    params: { token: user.accessToken },
    WebSocketPolyfill: WebSocket as never,
    disableBc: true,
    connect: true,
  });
  providers.push(p);
  return p;
}

const clientsOf = (update: Uint8Array) => new Set(Y.decodeUpdate(update).structs.map((s) => s.id.client));

describe('two nodes on one Redis', () => {
  it('shows clients on different nodes each other’s presence', async () => {
    const onA = await joined(a, crew.owner);
    const userJoined = next(onA, 'user-joined', (p: { user: { id: string } }) => p.user.id === crew.editor.id);
    const presence = next(onA, 'presence-update', (p: { users: { user: { id: string } }[] }) =>
      p.users.some((e) => e.user.id === crew.editor.id),
    );

    const onB = await client(b, crew.editor);
    const ack = await call(onB, 'join-design-system', { designSystemId: ds.id });
    expect(ack.ok).toBe(true);
    expect(ack.data.presence.map((e: { user: { id: string } }) => e.user.id).sort()).toEqual(
      [crew.owner.id, crew.editor.id].sort(),
    );

    expect(await userJoined).toMatchObject({ user: { id: crew.editor.id }, designSystemId: ds.id });
    const update = await presence;
    expect(update.users.map((e) => e.user.id).sort()).toEqual([crew.owner.id, crew.editor.id].sort());

    for (const node of [a, b]) {
      const res = await node.api.as(crew.viewer).get(`/api/design-systems/${ds.id}/presence`);
      expect(res.status).toBe(200);
      expect(res.body.users.map((e: { user: { id: string } }) => e.user.id).sort()).toEqual(
        [crew.owner.id, crew.editor.id].sort(),
      );
    }

    // Leaving on B is seen on A, and presence shrinks on both nodes.
    const left = next(onA, 'user-left', (p: { userId: string }) => p.userId === crew.editor.id);
    expect(await call(onB, 'leave-design-system', { designSystemId: ds.id })).toEqual({ ok: true });
    await left;
    for (const node of [a, b]) {
      const res = await node.api.as(crew.viewer).get(`/api/design-systems/${ds.id}/presence`);
      expect(res.body.users.map((e: { user: { id: string } }) => e.user.id)).toEqual([crew.owner.id]);
    }
    expect(await call(onA, 'leave-design-system', { designSystemId: ds.id })).toEqual({ ok: true });
  });

  it('holds a component lock across nodes (socket and REST)', async () => {
    const component = await buildComponent(a, ds.id, crew.owner);
    const onA = await joined(a, crew.owner);
    const onB = await joined(b, crew.editor);

    const locked = next(onB, 'component-locked', (p: { componentId: string }) => p.componentId === component.id);
    const start = await call(onA, 'component-edit-start', { componentId: component.id });
    expect(start).toMatchObject({ ok: true, data: { componentId: component.id } });
    expect(await locked).toEqual({
      componentId: component.id,
      userId: crew.owner.id,
      userName: crew.owner.name,
      designSystemId: ds.id,
    });

    const refused = await call(onB, 'component-edit-start', { componentId: component.id });
    expect(refused).toMatchObject({ ok: false, error: { code: 'locked' } });

    const put = await b.api
      .as(crew.editor)
      .put(`/api/design-systems/${ds.id}/components/${component.id}`, { code: 'export const X = 1;\n' });
    expect(put.status).toBe(423);
    expect(put.body.error.code).toBe('locked');

    // The lock shows on both nodes' presence endpoint.
    for (const node of [a, b]) {
      const res = await node.api.as(crew.viewer).get(`/api/design-systems/${ds.id}/presence`);
      expect(res.body.locks.map((l: { componentId: string }) => l.componentId)).toContain(component.id);
    }

    // Releasing on A frees it on B.
    const unlocked = next(onB, 'component-unlocked', (p: { componentId: string }) => p.componentId === component.id);
    expect(await call(onA, 'component-edit-end', { componentId: component.id })).toEqual({ ok: true });
    await unlocked;
    const retry = await b.api
      .as(crew.editor)
      .put(`/api/design-systems/${ds.id}/components/${component.id}`, { code: 'export const X = 1;\n' });
    expect(retry.status).toBe(200);
    expect(retry.body.code).toBe('export const X = 1;\n');
  });

  it('converges a document edited through Socket.IO on both nodes (binary on A, base64 on B)', async () => {
    const component = await buildComponent(a, ds.id, crew.owner, { code: '' });
    const name = `component:${component.id}`;
    const onA = await client(a, crew.editor);
    const onB = await client(b, crew.admin);
    const ra = await replica(onA, name);
    const rb = await replica(onB, name, 'base64');

    const rounds = 12;
    const write = async (c: Client, doc: Y.Doc, tag: string, base64: boolean) => {
      for (let i = 0; i < rounds; i++) {
        const update = edit(doc, (d) => d.getText('code').insert(d.getText('code').length, `[${tag}${i}]`));
        expect(
          await call(c, 'doc-update', {
            docName: name,
            update: base64 ? Buffer.from(update).toString('base64') : update,
          }),
        ).toEqual({ ok: true });
      }
    };
    await Promise.all([write(onA, ra.doc, 'a', false), write(onB, rb.doc, 'b', true)]);

    const markers = [...Array(rounds).keys()].flatMap((i) => [`[a${i}]`, `[b${i}]`]);
    await eventually(
      () =>
        ra.doc.getText('code').toString() === rb.doc.getText('code').toString() &&
        markers.every((m) => ra.doc.getText('code').toString().includes(m)),
    );
    const text = ra.doc.getText('code').toString();
    expect(text).toHaveLength(markers.join('').length);

    // Each side received exactly the other's updates, none of its own.
    expect(ra.received).toHaveLength(rounds);
    expect(rb.received).toHaveLength(rounds);
    for (const u of ra.received) expect([...clientsOf(u)]).toEqual([rb.doc.clientID]);
    for (const u of rb.received) expect([...clientsOf(u)]).toEqual([ra.doc.clientID]);

    // A fresh subscription on either node serves the same state.
    expect(await freshText(a, crew.viewer, name)).toBe(text);
    expect(await freshText(b, crew.viewer, name)).toBe(text);

    // B learnt the log rows of A's updates from the bus, so compacting its live copy folds every row.
    expect(await b.db.documentUpdate.count({ where: { docName: name } })).toBeGreaterThanOrEqual(2 * rounds);
    await b.services.documents.compact(name);
    expect(await b.db.documentUpdate.count({ where: { docName: name } })).toBe(0);
    expect(await freshText(a, crew.viewer, name)).toBe(text);

    // And the materialised row agrees, whichever node is asked.
    for (const node of [a, b]) {
      await eventually(
        async () =>
          (await node.api.as(crew.viewer).get(`/api/design-systems/${ds.id}/components/${component.id}`)).body.code ===
          text,
        5000,
        100,
      );
    }
  });

  it('converges y-websocket providers on different nodes, and Socket.IO edits reach them', async () => {
    const component = await buildComponent(a, ds.id, crew.owner, { code: 'start\n' });
    const name = `component:${component.id}`;
    const pa = provider(a, crew.editor, name);
    const pb = provider(b, crew.admin, name);
    await eventually(() => pa.synced && pb.synced, 10_000);
    expect(pa.doc.getText('code').toString()).toBe('start\n');
    expect(pb.doc.getText('code').toString()).toBe('start\n');

    pa.doc.getText('code').insert(0, '<from A>');
    pb.doc.getText('code').insert(pb.doc.getText('code').length, '<from B>');
    await eventually(() => {
      const ta = pa.doc.getText('code').toString();
      return ta === pb.doc.getText('code').toString() && ta.includes('<from A>') && ta.includes('<from B>');
    }, 10_000);

    // A Socket.IO client on B edits; the provider on A sees it.
    const onB = await client(b, crew.owner);
    const rb = await replica(onB, name);
    expect(rb.doc.getText('code').toString()).toBe(pa.doc.getText('code').toString());
    const update = edit(rb.doc, (d) => d.getText('code').insert(0, '<socket on B>'));
    expect(await call(onB, 'doc-update', { docName: name, update })).toEqual({ ok: true });
    await eventually(() => pa.doc.getText('code').toString().startsWith('<socket on B>'), 10_000);
    await eventually(() => pb.doc.getText('code').toString() === pa.doc.getText('code').toString(), 10_000);

    // Provider edits reach the Socket.IO client on the other node too.
    pa.doc.getText('code').insert(0, '<A again>');
    await eventually(() => rb.doc.getText('code').toString() === pa.doc.getText('code').toString(), 10_000);
    expect(await freshText(a, crew.viewer, name)).toBe(pa.doc.getText('code').toString());
    expect(await freshText(b, crew.viewer, name)).toBe(pa.doc.getText('code').toString());
  });

  it('broadcasts component-changed from a REST PUT on A to a client joined through B', async () => {
    const component = await buildComponent(a, ds.id, crew.owner);
    const onB = await joined(b, crew.admin);
    const changed = next<{ componentId: string; userId: string; changes: { fields: string[]; version: number } }>(
      onB,
      'component-changed',
      (p) => p.componentId === component.id,
    );
    const put = await a.api.as(crew.editor).put(`/api/design-systems/${ds.id}/components/${component.id}`, {
      code: 'export const Changed = 1;\n',
      status: 'review',
    });
    expect(put.status).toBe(200);
    const event = await changed;
    expect(event.userId).toBe(crew.editor.id);
    expect(event.changes.version).toBe(put.body.version);
    expect([...event.changes.fields].sort()).toEqual(expect.arrayContaining(['code', 'status']));
    // Node B reads the change too.
    const got = await b.api.as(crew.viewer).get(`/api/design-systems/${ds.id}/components/${component.id}`);
    expect(got.body).toMatchObject({
      code: 'export const Changed = 1;\n',
      status: 'review',
      version: put.body.version,
    });
  });

  it('a node loading a document while another node compacts it sees every committed update', async () => {
    const component = await buildComponent(a, ds.id, crew.owner, { code: '' });
    const name = `component:${component.id}`;
    const writer = await client(a, crew.editor);
    const local = await replica(writer, name);
    let n = 0;
    const write = async () => {
      const marker = `[w${n++}]`;
      const update = edit(local.doc, (d) => d.getText('code').insert(d.getText('code').length, marker));
      expect(await call(writer, 'doc-update', { docName: name, update })).toEqual({ ok: true });
      return marker;
    };

    // Each round: B drops its copy, A logs a few updates, then B loads the document while A compacts it.
    const acked: string[] = [];
    const failures: { round: number; delayMs: number; missing: string[] }[] = [];
    const until = Date.now() + 5000;
    let rounds = 0;
    while (Date.now() < until && failures.length < 3) {
      await b.services.documents.unloadIdle(Date.now() + 1e9);
      for (let k = 0; k < 3; k++) acked.push(await write());
      const before = [...acked];
      const delayMs = rounds % 3;
      const [, state] = await Promise.all([
        new Promise((r) => setTimeout(r, delayMs)).then(() => a.services.documents.compact(name)),
        b.services.documents.encodeState(name, null),
      ]);
      rounds++;
      const doc = new Y.Doc();
      Y.applyUpdate(doc, state);
      const text = doc.getText('code').toString();
      doc.destroy();
      const missing = before.filter((m) => !text.includes(m));
      if (missing.length) failures.push({ round: rounds, delayMs, missing });
    }
    console.log(
      `load-vs-compact: ${rounds} rounds, ${acked.length} updates, ${failures.length} loads missed committed updates`,
      failures.slice(0, 3),
    );
    expect(failures).toEqual([]);
  }, 20_000);
});
