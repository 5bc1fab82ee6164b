// A bounded, seeded fuzz of Engine.IO/Socket.IO frames from a signed-in connection: mutated real
// packets, random bytes, broken JSON, wrong types, unknown events, binary placeholders without
// attachments. The process stays up, other clients keep working with their data intact, and the
// fuzzing connection is answered or dropped — never the server.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import * as Y from 'yjs';
import { buildComponent, buildCrew, buildDesignSystem } from '../support/factories.ts';
import { rawConnect } from '../support/raw-socketio.ts';
import { call, connect } from '../support/realtime.ts';
import { startTestServer, type TestServer } from '../support/server.ts';
import { edit } from '../support/yjs-client.ts';

const FRAMES = 3000;
let server: TestServer;
let crew: Awaited<ReturnType<typeof buildCrew>>;
let docName: string;

beforeAll(async () => {
  server = await startTestServer({ SOCKET_ABUSE_DISCONNECT_AFTER: '100000', SOCKET_RATE_LIMIT_PER_SECOND: '100000' });
  crew = await buildCrew(server);
  const ds = await buildDesignSystem(server, crew.team, crew.editor);
  docName = `component:${(await buildComponent(server, ds.id, crew.editor, { code: 'safe;' })).id}`;
});
afterAll(() => server.close());

/** A small deterministic generator (mulberry32), so a failure can be replayed. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a |= 0;
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const EVENTS = [
  'doc-update',
  'doc-subscribe',
  'component-update',
  'token-update',
  'join-design-system',
  'cursor-move',
  'comment-add',
  'reauth',
  'user-status',
  'nope',
  '__proto__',
  'constructor',
];
const SEEDS = [
  '421["doc-update",{"docName":"DOC","update":"AAA="}]',
  '42["cursor-move",{"x":1,"y":2}]',
  '451-["doc-update",{"docName":"DOC","update":{"_placeholder":true,"num":0}}]',
  '43["x"]',
  '40',
  '41',
  '2',
  '3',
  '6',
  '1',
];

function frame(next: () => number): string {
  const pick = <T>(items: readonly T[]) => items[Math.floor(next() * items.length)] as T;
  const kind = Math.floor(next() * 6);
  if (kind === 0)
    return Array.from({ length: 1 + Math.floor(next() * 64) }, () =>
      String.fromCharCode(Math.floor(next() * 0xffff)),
    ).join('');
  if (kind === 1) {
    const seed = pick(SEEDS).replace('DOC', docName);
    const at = Math.floor(next() * seed.length);
    return seed.slice(0, at) + String.fromCharCode(Math.floor(next() * 128)) + seed.slice(at + 1);
  }
  if (kind === 2)
    return `42${Math.floor(next() * 1e6)}["${pick(EVENTS)}",${pick(['null', '1', '"x"', '[]', '{}', '{"docName":1}', `{"docName":"${docName}","update":"${'A'.repeat(Math.floor(next() * 200))}"}`, '{"__proto__":{"x":1}}', '[[[[[[[[]]]]]]]]'])}]`;
  if (kind === 3)
    return `45${Math.floor(next() * 9)}-${pick(['["doc-update",{"_placeholder":true,"num":5}]', '["x",{"_placeholder":true,"num":-1}]', '[]', '{}'])}`;
  if (kind === 4)
    return pick([
      '4',
      '42',
      '42[',
      '42[]',
      '42["',
      '42{}',
      '4[1,2]',
      '42["doc-update"',
      `4${'['.repeat(300)}${']'.repeat(300)}`,
    ]);
  return pick(SEEDS).replace('DOC', docName);
}

describe('Engine.IO frame fuzz', () => {
  it(`${FRAMES} seeded frames leave the server up and an honest client's document intact`, async () => {
    const honest = await connect(server, crew.editor);
    const sub = await call(honest, 'doc-subscribe', { docName });
    expect(sub.ok).toBe(true);
    const doc = new Y.Doc();
    Y.applyUpdate(doc, new Uint8Array(sub.data.state));

    const next = random(20261202);
    let sent = 0;
    let reconnects = 0;
    let raw = await rawConnect(server.url, crew.viewer.accessToken);
    for (let i = 0; i < FRAMES; i++) {
      if (raw.ws.readyState !== raw.ws.OPEN) {
        reconnects++;
        raw = await rawConnect(server.url, crew.viewer.accessToken);
      }
      raw.send(frame(next));
      sent++;
      if (i % 200 === 199) await new Promise((r) => setTimeout(r, 20));
    }
    raw.close();

    // The honest client still edits and reads back exactly its document.
    const update = edit(doc, (d) => d.getText('code').insert(d.getText('code').length, 'after-fuzz;'));
    expect(await call(honest, 'doc-update', { docName, update })).toEqual({ ok: true });
    expect(await server.services.documents.read(docName, null, (d) => d.getText('code').toString())).toBe(
      'safe;after-fuzz;',
    );
    expect((await fetch(`${server.url}/health`)).status).toBe(200);
    honest.close();
    console.log(
      `engine.io fuzz: ${sent} frames (seed 20261202), the fuzzing connection was dropped and reopened ${reconnects} times; server up, honest document intact`,
    );
  }, 60_000);
});
