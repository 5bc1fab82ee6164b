// What one hostile y-websocket connection can cost: a burst of updates, sync step 1 repeated on a
// large document, awareness set for another connection's client id, a flood of malformed messages.
// Each is bounded, and honest clients on the same document carry on with their data intact.
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import { pino } from 'pino';
import { WebSocket } from 'ws';
import * as Y from 'yjs';
import { loadConfig } from '../../src/config/config.ts';
import { startEnsemble } from '../../src/server.ts';
import { CLOSE_POLICY_VIOLATION, syncStep1, syncUpdate } from '../../src/websocket/yjs/protocol.ts';
import { Api } from '../support/api.ts';
import { buildComponent, buildCrew, buildDesignSystem } from '../support/factories.ts';
import { eventually } from '../support/realtime.ts';
import { startTestServer, testEnv, type TestServer } from '../support/server.ts';
import { edit, yClient } from '../support/yjs-client.ts';
import { provide, type Provided } from '../support/yjs-provider.ts';

type Crew = Awaited<ReturnType<typeof buildCrew>>;

/** Default limits: 60 updates/s with a 2 s burst, 50 strikes within 10 s close the connection. */
let server: TestServer;
let crew: Crew;
let dsId: string;
/** Rate and abuse thresholds out of the way (what is shown is the answer-once and the log), and its log captured. */
let lenient: TestServer;
let lenientCrew: Crew;
let lenientDsId: string;
const logLines: { level: number; msg: string; reason?: string }[] = [];
const closers: (() => void)[] = [];
const figures: string[] = [];

beforeAll(async () => {
  // Stock providers report permission-denied messages with console.warn.
  jest.spyOn(console, 'warn').mockImplementation(() => undefined);
  server = await startTestServer({ MAX_CONNECTIONS_PER_USER: '100' });
  crew = await buildCrew(server);
  dsId = (await buildDesignSystem(server, crew.team, crew.editor)).id;

  const config = loadConfig(
    await testEnv({
      SOCKET_RATE_LIMIT_PER_SECOND: '100000',
      SOCKET_CURSOR_RATE_PER_SECOND: '100000',
      SOCKET_ABUSE_DISCONNECT_AFTER: '100000',
      MAX_CONNECTIONS_PER_USER: '100',
    }),
  );
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString().split('\n'))
        if (line) logLines.push(JSON.parse(line) as (typeof logLines)[number]);
      done();
    },
  });
  const ensemble = await startEnsemble(config, pino({ level: 'warn' }, sink));
  lenient = Object.assign(ensemble, { api: new Api(ensemble.url), config });
  lenientCrew = await buildCrew(lenient);
  lenientDsId = (await buildDesignSystem(lenient, lenientCrew.team, lenientCrew.editor)).id;
}, 60_000);
afterAll(async () => {
  for (const close of closers) close();
  await server?.close();
  await lenient?.close();
  console.log(`yjs abuse: ${figures.join('; ')}`);
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const open = (srv: TestServer, name: string, who: { accessToken: string }): Provided => {
  const p = provide(srv.url, name, who.accessToken);
  closers.push(() => p.close());
  return p;
};

/** A raw y-websocket connection: every message it receives, and the code it was closed with. */
async function raw(srv: TestServer, name: string, who: { accessToken: string }) {
  const ws = new WebSocket(`${srv.url.replace(/^http/, 'ws')}/yjs/${name}?token=${who.accessToken}`);
  closers.push(() => ws.terminate());
  const received: Uint8Array[] = [];
  ws.on('message', (data: Buffer) => received.push(new Uint8Array(data)));
  const closed = new Promise<number>((resolve) => ws.on('close', (code: number) => resolve(code)));
  await new Promise((resolve, reject) => {
    ws.once('open', resolve);
    ws.once('error', reject);
  });
  return { ws, received, closed };
}

/** Stops (or resumes) reading the socket, as a paused tab would. */
const reading = (ws: WebSocket, on: boolean) => {
  const socket = (ws as unknown as { _socket: { pause(): void; resume(): void } })._socket;
  if (on) socket.resume();
  else socket.pause();
};

/** An awareness message with the given entries (`state` null removes the client). */
function awarenessOf(entries: { clientID: number; clock: number; state: unknown }[]): Uint8Array {
  const update = encoding.createEncoder();
  encoding.writeVarUint(update, entries.length);
  for (const { clientID, clock, state } of entries) {
    encoding.writeVarUint(update, clientID);
    encoding.writeVarUint(update, clock);
    encoding.writeVarString(update, JSON.stringify(state));
  }
  const message = encoding.createEncoder();
  encoding.writeVarUint(message, 1);
  encoding.writeVarUint8Array(message, encoding.toUint8Array(update));
  return encoding.toUint8Array(message);
}

/** `[message type, sync step]` of a received message. */
const kindOf = (message: Uint8Array): [number, number] => {
  const decoder = decoding.createDecoder(message);
  const type = decoding.readVarUint(decoder);
  return [type, type === 0 ? decoding.readVarUint(decoder) : -1];
};

/** Milliseconds `/health` takes to answer. */
async function healthMs(srv: TestServer): Promise<number> {
  const started = performance.now();
  const res = await fetch(`${srv.url}/health`);
  expect(res.status).toBe(200);
  return performance.now() - started;
}

const serverText = (srv: TestServer, name: string, text = 'code') =>
  srv.services.documents.read(name, null, (d) => d.getText(text).toString());
const nameOf = (s: { user?: { name?: string } } | undefined) => s?.user?.name;

describe('/yjs abuse', () => {
  it('a burst of 2,000 updates is mostly dropped and the connection closed with 1008; an honest client keeps working', async () => {
    const name = `component:${(await buildComponent(server, dsId, crew.editor, { code: '' })).id}`;
    const honest = open(server, name, crew.editor);
    await honest.synced;
    honest.doc.getText('code').insert(0, '[honest before]');
    await eventually(async () => (await serverText(server, name)) === '[honest before]');

    const attacker = await raw(server, name, crew.admin);
    const replica = await yClient(server, name);
    for (let i = 0; i < 2000; i++) attacker.ws.send(syncUpdate(edit(replica, (d) => d.getText('code').insert(0, 'x'))));
    honest.doc.getText('code').insert(honest.doc.getText('code').length, '[honest during]');
    let timer: NodeJS.Timeout | undefined;
    const code = await Promise.race([
      attacker.closed,
      new Promise<number>((resolve) => (timer = setTimeout(() => resolve(-1), 10_000))),
    ]);
    clearTimeout(timer);
    expect(code).toBe(CLOSE_POLICY_VIOLATION);

    honest.doc.getText('code').insert(honest.doc.getText('code').length, '[honest after]');
    await eventually(
      async () =>
        (await serverText(server, name)) === honest.doc.getText('code').toString() &&
        honest.doc.getText('code').toString().endsWith('[honest after]'),
      10_000,
    );
    const text = await serverText(server, name);
    const accepted = text.length - text.replace(/x/g, '').length;
    expect(text.replace(/x/g, '')).toBe('[honest before][honest during][honest after]');
    // The bucket holds 2 s of SOCKET_RATE_LIMIT_PER_SECOND; what refills while the burst is read is a handful.
    expect(accepted).toBeLessThanOrEqual(server.config.SOCKET_RATE_LIMIT_PER_SECOND * 2 + 30);
    expect(honest.closes).toEqual([]);
    figures.push(`burst: ${accepted}/2000 updates accepted, closed with ${code}`);
  }, 40_000);

  it('800 sync step 1 on a ~1 MB document are answered once: bounded memory, /health stays fast', async () => {
    const name = `component:${(await buildComponent(lenient, lenientDsId, lenientCrew.editor, { code: '' })).id}`;
    const writer = open(lenient, name, lenientCrew.editor);
    await writer.synced;
    // Four 120,000-character inserts into each of `code` and `docs` (the limit is 500,000 per text).
    for (const text of ['code', 'docs'])
      for (let i = 0; i < 4; i++) writer.doc.getText(text).insert(0, String(i).repeat(120_000));
    await eventually(
      async () =>
        (await serverText(lenient, name, 'code')).length === 480_000 &&
        (await serverText(lenient, name, 'docs')).length === 480_000,
      20_000,
    );
    const docBytes = (await lenient.services.documents.encodeState(name, null)).byteLength;
    expect(docBytes).toBeGreaterThan(900_000);

    const attacker = await raw(lenient, name, lenientCrew.viewer);
    await eventually(() => attacker.received.length >= 1); // the server's own sync step 1
    reading(attacker.ws, false);
    const rssBefore = process.memoryUsage().rss;
    const ask = syncStep1(Y.encodeStateVector(new Y.Doc()));
    for (let i = 0; i < 800; i++) attacker.ws.send(ask);
    let slowest = 0;
    let rssPeak = rssBefore;
    for (let i = 0; i < 10; i++) {
      slowest = Math.max(slowest, await healthMs(lenient));
      rssPeak = Math.max(rssPeak, process.memoryUsage().rss);
      await sleep(100);
    }
    reading(attacker.ws, true);
    await sleep(1500);
    const answers = attacker.received.filter((m) => kindOf(m).join() === '0,1');
    const bytes = answers.reduce((n, m) => n + m.byteLength, 0);
    expect(answers.length).toBe(1);
    expect(bytes).toBeLessThan(docBytes * 1.5);
    const grownMiB = (rssPeak - rssBefore) / 2 ** 20;
    expect(grownMiB).toBeLessThan(150);
    expect(slowest).toBeLessThan(1000);
    // Still served: the writer's next edit reaches the attacker.
    writer.doc.getText('code').insert(0, 'after;');
    await eventually(() => attacker.received.some((m) => kindOf(m).join() === '0,2'));
    figures.push(
      `sync step 1: 800 asked on a ${(docBytes / 2 ** 20).toFixed(2)} MiB document, ${answers.length} answered (${(bytes / 2 ** 20).toFixed(2)} MiB), rss +${grownMiB.toFixed(0)} MiB, /health ≤ ${slowest.toFixed(0)} ms`,
    );
  }, 60_000);

  it('awareness for another connection’s client id is not seen by a third peer; the sender’s own is', async () => {
    const name = `component:${(await buildComponent(server, dsId, crew.editor)).id}`;
    const alice = open(server, name, crew.editor);
    const bob = open(server, name, crew.owner);
    await Promise.all([alice.synced, bob.synced]);
    const aliceId = alice.doc.clientID;
    alice.provider.awareness.setLocalStateField('user', { name: 'Alice' });
    await eventually(() => nameOf(bob.provider.awareness.getStates().get(aliceId)) === 'Alice');

    const mallory = await raw(server, name, crew.viewer);
    const malloryId = 0x5eed;
    mallory.ws.send(
      awarenessOf([
        { clientID: malloryId, clock: 1, state: { user: { name: 'Mallory' } } },
        { clientID: aliceId, clock: 1000, state: { user: { name: 'Mallory pretending to be Alice' } } },
      ]),
    );
    mallory.ws.send(awarenessOf([{ clientID: aliceId, clock: 1001, state: null }]));
    await eventually(() => nameOf(bob.provider.awareness.getStates().get(malloryId)) === 'Mallory');
    await sleep(300);
    expect(nameOf(bob.provider.awareness.getStates().get(aliceId))).toBe('Alice');
    // Alice's own clock was never overtaken: her next change still reaches Bob.
    alice.provider.awareness.setLocalStateField('user', { name: 'Alice', cursor: 7 });
    await eventually(
      () =>
        (bob.provider.awareness.getStates().get(aliceId) as { user?: { cursor?: number } } | undefined)?.user
          ?.cursor === 7,
    );
    figures.push('awareness: spoofed state and removal of another id dropped, own state relayed');
  });

  it('10,000 malformed messages log a handful of lines, and the server keeps serving', async () => {
    const name = `component:${(await buildComponent(lenient, lenientDsId, lenientCrew.editor, { code: 'ok' })).id}`;
    const badJson = (() => {
      const update = encoding.createEncoder();
      encoding.writeVarUint(update, 1);
      encoding.writeVarUint(update, 77);
      encoding.writeVarUint(update, 1);
      encoding.writeVarString(update, '{not json');
      const message = encoding.createEncoder();
      encoding.writeVarUint(message, 1);
      encoding.writeVarUint8Array(message, encoding.toUint8Array(update));
      return encoding.toUint8Array(message);
    })();
    const garbage = [
      Uint8Array.from([0, 2, 50, 1, 2, 3]), // a sync update cut short
      Uint8Array.from([250, 250, 250]), // a message type cut short
      Uint8Array.from([0, 9, 1, 0]), // a sync step that does not exist
      Uint8Array.from([1, 5, 1, 2]), // awareness cut short
      badJson, // awareness whose state is not JSON
    ];
    const before = logLines.length;
    const attacker = await raw(lenient, name, lenientCrew.editor);
    for (let i = 0; i < 10_000; i++) attacker.ws.send(garbage[i % garbage.length] as Uint8Array);
    // Messages are read in order: the answer to a query-awareness comes after every one above.
    const seen = attacker.received.length;
    attacker.ws.send(Uint8Array.from([3]));
    await eventually(() => attacker.received.slice(seen).some((m) => kindOf(m)[0] === 1), 20_000);
    await sleep(200);
    const lines = logLines.slice(before);
    expect(lines.length).toBeLessThanOrEqual(5);
    expect(lines.every((l) => !JSON.stringify(l).includes('    at '))).toBe(true);
    expect(attacker.ws.readyState).toBe(WebSocket.OPEN);

    expect(await healthMs(lenient)).toBeLessThan(1000);
    const editor = open(lenient, name, lenientCrew.admin);
    await editor.synced;
    editor.doc.getText('code').insert(2, '!');
    await eventually(async () => (await serverText(lenient, name)) === 'ok!');
    figures.push(`malformed: 10000 messages, ${lines.length} log line(s)`);
  }, 60_000);
});
