import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import * as Y from 'yjs';
import { buildComponent, buildCrew, buildDesignSystem } from '../support/factories.ts';
import { call, collect, connect, eventually, next, sleep, subscribeDoc, type Client } from '../support/realtime.ts';
import { startTestServer, type TestServer } from '../support/server.ts';
import { edit } from '../support/yjs-client.ts';

let server: TestServer;
let crew: Awaited<ReturnType<typeof buildCrew>>;
let ds: { id: string };
let open: Client[] = [];
beforeAll(async () => {
  server = await startTestServer({
    MAX_DOC_UPDATE_BYTES: '65536',
    SOCKET_RATE_LIMIT_PER_SECOND: '20',
    SOCKET_ABUSE_DISCONNECT_AFTER: '30',
  });
  crew = await buildCrew(server);
  ds = await buildDesignSystem(server, crew.team, crew.editor);
});
afterEach(() => {
  for (const c of open) c.close();
  open = [];
});
afterAll(() => server.close());

async function subscribed(who: { accessToken: string }, docName: string) {
  const live = await subscribeDoc(server, who, docName);
  open.push(live.socket);
  return live;
}

describe('generic document sync', () => {
  it('subscribes with the full state, relays updates both ways, never echoes, and converges', async () => {
    const c = await buildComponent(server, ds.id, crew.editor, { code: 'start' });
    const name = `component:${c.id}`;
    const a = await subscribed(crew.editor, name);
    const b = await subscribed(crew.admin, name);
    expect(a.doc.getText('code').toString()).toBe('start');
    const echoes = collect(a.socket, 'doc-update');
    for (let i = 0; i < 10; i++) {
      const fromA = edit(a.doc, (d) => d.getText('code').insert(0, `a${i}`));
      const fromB = edit(b.doc, (d) => d.getText('code').insert(d.getText('code').length, `b${i}`));
      const [ackA, ackB] = await Promise.all([
        call(a.socket, 'doc-update', { docName: name, update: fromA }),
        call(b.socket, 'doc-update', { docName: name, update: fromB }),
      ]);
      expect([ackA.ok, ackB.ok]).toEqual([true, true]);
    }
    await eventually(
      () => a.doc.getText('code').toString() === b.doc.getText('code').toString() && echoes.length === 10,
    );
    const server_ = new Y.Doc();
    Y.applyUpdate(server_, await server.services.documents.encodeState(name, null));
    expect(server_.getText('code').toString()).toBe(a.doc.getText('code').toString());
    expect(a.doc.getText('code').toString()).toMatch(/a9.*startb0.*b9$/);
  });

  it('speaks base64 to connections that ask for it, binary to the others, on the same document', async () => {
    const c = await buildComponent(server, ds.id, crew.editor, { code: 'b64' });
    const name = `component:${c.id}`;
    const binaryClient = await subscribed(crew.admin, name);
    const socket = await connect(server, crew.editor);
    open.push(socket);
    const ack = await call(socket, 'doc-subscribe', { docName: name, encoding: 'base64' });
    expect(typeof ack.data.state).toBe('string');
    const doc = new Y.Doc();
    Y.applyUpdate(doc, Buffer.from(ack.data.state as string, 'base64'));
    expect(doc.getText('code').toString()).toBe('b64');
    const received = collect(socket, 'doc-update');
    socket.on('doc-update', (p: { update: string }) => Y.applyUpdate(doc, Buffer.from(p.update, 'base64')));
    // Binary in, base64 out (and the other way round).
    const fromBinary = edit(binaryClient.doc, (d) => d.getText('code').insert(0, '<'));
    expect((await call(binaryClient.socket, 'doc-update', { docName: name, update: fromBinary })).ok).toBe(true);
    const fromBase64 = edit(doc, (d) => d.getText('code').insert(d.getText('code').length, '>'));
    expect(
      (await call(socket, 'doc-update', { docName: name, update: Buffer.from(fromBase64).toString('base64') })).ok,
    ).toBe(true);
    await eventually(
      () => binaryClient.doc.getText('code').toString() === '<b64>' && doc.getText('code').toString() === '<b64>',
    );
    expect(received.every((p) => typeof (p as { update: unknown }).update === 'string')).toBe(true);
    expect(received).toHaveLength(1);
    // A state vector may come as base64 too; re-subscribing switches the encoding.
    const again = await call(socket, 'doc-subscribe', {
      docName: name,
      stateVector: Buffer.from(Y.encodeStateVector(doc)).toString('base64'),
    });
    expect(Buffer.isBuffer(again.data.state) || again.data.state instanceof ArrayBuffer).toBe(true);
    const another = edit(binaryClient.doc, (d) => d.getText('code').insert(0, '!'));
    expect((await call(binaryClient.socket, 'doc-update', { docName: name, update: another })).ok).toBe(true);
    await eventually(() => received.length === 2);
    expect(typeof (received[1] as { update: unknown }).update).not.toBe('string');
  });

  it('serves any document kind, including a design system’s tokens', async () => {
    const t = await subscribed(crew.viewer, `tokens:${ds.id}`);
    expect(t.readOnly).toBe(true);
    await server.api
      .as(crew.editor)
      .post(`/api/design-systems/${ds.id}/tokens`, { path: 'space.sm', $value: '4px', $type: 'dimension' });
    await eventually(() => t.doc.getMap('tokens').has('space.sm'));
  });

  it('lets viewers receive but never write', async () => {
    const c = await buildComponent(server, ds.id, crew.editor, { code: 'view' });
    const name = `component:${c.id}`;
    const viewer = await subscribed(crew.viewer, name);
    expect(viewer.readOnly).toBe(true);
    const update = edit(viewer.doc, (d) => d.getText('code').insert(0, 'x'));
    expect((await call(viewer.socket, 'doc-update', { docName: name, update })).error?.code).toBe('forbidden');
    const editor = await subscribed(crew.editor, name);
    expect(editor.doc.getText('code').toString()).toBe('view');
  });

  it('hides other teams’ and unknown documents', async () => {
    const c = await buildComponent(server, ds.id, crew.editor);
    const socket = await connect(server, crew.outsider);
    open.push(socket);
    expect((await call(socket, 'doc-subscribe', { docName: `component:${c.id}` })).error?.code).toBe('not_found');
    // A name that cannot exist is malformed input, not a hidden resource.
    expect((await call(socket, 'doc-subscribe', { docName: 'secrets:all' })).error?.code).toBe('validation_failed');
  });

  it('refuses malformed and oversize updates while other clients carry on', async () => {
    const c = await buildComponent(server, ds.id, crew.editor, { code: '' });
    const name = `component:${c.id}`;
    const bad = await subscribed(crew.editor, name);
    const good = await subscribed(crew.admin, name);
    expect(
      (await call(bad.socket, 'doc-update', { docName: name, update: Buffer.from('definitely not yjs') })).error?.code,
    ).toBe('invalid_update');
    const huge = edit(new Y.Doc(), (d) => d.getText('code').insert(0, 'x'.repeat(70_000)));
    expect((await call(bad.socket, 'doc-update', { docName: name, update: huge })).error?.code).toBe(
      'update_too_large',
    );
    expect((await call(bad.socket, 'doc-update', { docName: name, update: 'not base64!' })).error?.code).toBe(
      'validation_failed',
    );
    expect(
      (await call(bad.socket, 'doc-update', { docName: name, update: Buffer.from([1, 2, 3, 4, 5]).toString('base64') }))
        .error?.code,
    ).toBe('invalid_update');
    const fine = edit(good.doc, (d) => d.getText('code').insert(0, 'still fine'));
    expect((await call(good.socket, 'doc-update', { docName: name, update: fine })).ok).toBe(true);
    await eventually(() => bad.doc.getText('code').toString() === 'still fine');
  });

  it('works the same over HTTP long-polling and across an upgrade: every ack and update arrives exactly once', async () => {
    const c = await buildComponent(server, ds.id, crew.editor, { code: '' });
    const name = `component:${c.id}`;
    // Acks and updates to a polling or upgrading connection go through Socket.IO's own queue, to a
    // WebSocket one as pre-built frames: all three must see the same document, in order.
    const setups: { transports: ('polling' | 'websocket')[]; encoding: 'base64' | 'binary' }[] = [
      { transports: ['polling'], encoding: 'base64' },
      { transports: ['polling', 'websocket'], encoding: 'binary' },
      { transports: ['websocket'], encoding: 'base64' },
    ];
    const clients = await Promise.all(
      setups.map(async ({ transports, encoding }) => {
        const socket = await connect(server, crew.editor, { transports });
        open.push(socket);
        const doc = new Y.Doc();
        let received = 0;
        socket.on('doc-update', (p: { docName: string; update: string | ArrayBuffer }) => {
          received += 1;
          Y.applyUpdate(doc, typeof p.update === 'string' ? Buffer.from(p.update, 'base64') : new Uint8Array(p.update));
        });
        const ack = await call(socket, 'doc-subscribe', { docName: name, encoding });
        expect(ack.ok).toBe(true);
        Y.applyUpdate(
          doc,
          typeof ack.data.state === 'string' ? Buffer.from(ack.data.state, 'base64') : new Uint8Array(ack.data.state),
        );
        return { socket, doc, encoding, received: () => received };
      }),
    );
    for (let round = 0; round < 5; round++) {
      const acks = await Promise.all(
        clients.map(({ socket, doc, encoding }, i) => {
          const update = edit(doc, (d) => d.getText('code').insert(0, `${i}${round}`));
          return call(socket, 'doc-update', {
            docName: name,
            update: encoding === 'base64' ? Buffer.from(update).toString('base64') : update,
          });
        }),
      );
      expect(acks.map((a) => a.ok)).toEqual([true, true, true]);
    }
    await eventually(() => clients.every((x) => x.doc.getText('code').length === 30));
    const texts = clients.map((x) => x.doc.getText('code').toString());
    expect(new Set(texts).size).toBe(1);
    await sleep(200);
    expect(clients.map((x) => x.received())).toEqual([10, 10, 10]);
    expect(clients.map((x) => x.socket.io.engine.transport.name)).toEqual(['polling', 'websocket', 'websocket']);
  });
});

describe('limits', () => {
  it('refuses oversize small-event payloads', async () => {
    const socket = await connect(server, crew.editor);
    open.push(socket);
    const ack = await call(socket, 'user-status', { status: 'active', padding: 'x'.repeat(2000) });
    expect(ack.error?.code).toBe('payload_too_large');
  });

  it('rate-limits a flood and disconnects on repeated abuse, while others carry on', async () => {
    const c = await buildComponent(server, ds.id, crew.editor, { code: '' });
    const name = `component:${c.id}`;
    const flooder = await subscribed(crew.editor, name);
    const bystander = await subscribed(crew.admin, name);
    const disconnected = next(flooder.socket, 'disconnect', () => true, 10_000);
    const started = performance.now();
    const acks = await Promise.all(
      Array.from({ length: 120 }, (_, i) =>
        call(
          flooder.socket,
          'doc-update',
          { docName: name, update: edit(flooder.doc, (d) => d.getText('code').insert(0, String(i % 10))) },
          3000,
        ).catch(() => ({ ok: false, error: { code: 'no_ack' } })),
      ),
    );
    const codes = acks.map((a) => (a.ok ? 'ok' : a.error?.code));
    expect(codes).toContain('rate_limited');
    await disconnected;
    // Within the burst budget (2 s of the rate, plus what refilled while the flood lasted) the
    // flooder's updates were applied; the rest were not.
    const refilled = Math.ceil(((performance.now() - started) / 1000) * 20);
    await eventually(
      async () => (await server.services.documents.read(name, null, (d) => d.getText('code').length)) > 0,
    );
    const applied = await server.services.documents.read(name, null, (d) => d.getText('code').length);
    expect(applied).toBeLessThanOrEqual(40 + refilled);
    expect(applied).toBeLessThan(120);
    const fine = edit(bystander.doc, (d) => d.getText('code').insert(0, 'ok'));
    expect((await call(bystander.socket, 'doc-update', { docName: name, update: fine })).ok).toBe(true);
  });
});

describe('metrics', () => {
  it('exposes realtime gauges, event counters and fan-out latency', async () => {
    const c = await buildComponent(server, ds.id, crew.editor);
    const a = await subscribed(crew.editor, `component:${c.id}`);
    await subscribed(crew.admin, `component:${c.id}`);
    await call(a.socket, 'doc-update', {
      docName: `component:${c.id}`,
      update: edit(a.doc, (d) => d.getText('code').insert(0, 'm')),
    });
    const text = (await server.api.get('/metrics')).text;
    expect(text).toMatch(/realtime_connections \d+/);
    expect(text).toMatch(/live_documents \d+/);
    expect(text).toMatch(/realtime_events_total\{event="doc-update",outcome="ok"\} \d+/);
    expect(text).toMatch(/realtime_fanout_seconds_count\{transport="socket"\} [1-9]/);
  });
});
