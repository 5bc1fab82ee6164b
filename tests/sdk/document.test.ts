// The SDK never lies about saved state: under another user's lock, as a viewer, over a live rule
// and past the rate limit, the refused client and every other client end on the server's document,
// `pending`/`saved` count only acknowledged changes, and later edits reach everyone.
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import type * as Y from 'yjs';
import { EnsembleClient, type EnsembleError, type LiveDocument } from '../../sdk/src/index.ts';
import { hasPending } from '../../src/services/documents/yjs-internals.ts';
import { buildComponent, buildCrew, buildDesignSystem, buildTeam, buildUser } from '../support/factories.ts';
import { eventually, sleep } from '../support/realtime.ts';
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

function client(on: TestServer, who: { accessToken: string }): EnsembleClient {
  const c = new EnsembleClient({
    url: on.url,
    token: who.accessToken,
    socket: { forceNew: true, reconnection: false },
  });
  clients.push(c);
  return c;
}

const code = (live: LiveDocument | Y.Doc) => ('doc' in live ? live.doc : live).getText('code').toString();
const stored = (on: TestServer, name: string) =>
  on.services.documents.read(name, null, (d) =>
    JSON.stringify({ code: d.getText('code').toString(), meta: d.getMap('meta').toJSON() }),
  );
const local = (live: LiveDocument) => JSON.stringify({ code: code(live), meta: live.doc.getMap('meta').toJSON() });

/** Every copy equals the server's, nothing pending anywhere, nothing unacknowledged. */
async function converged(on: TestServer, name: string, docs: LiveDocument[]): Promise<void> {
  await eventually(async () => {
    const want = await stored(on, name);
    return docs.every((d) => local(d) === want && d.pending === 0 && !hasPending(d.doc));
  }, 8000);
}

describe('LiveDocument refusals', () => {
  it('under another user’s lock: reverted, reported, not counted as saved; later edits reach everyone', async () => {
    const c = await buildComponent(server, ds.id, crew.editor, { code: 'base;' });
    const name = `component:${c.id}`;
    const holder = await client(server, crew.admin).joinDesignSystem(ds.id);
    await holder.lock(c.id);
    const writer = await client(server, crew.editor).openDocument(name);
    const peer = await client(server, crew.owner).openDocument(name);
    const refusals: EnsembleError[] = [];
    let acknowledged = 0;
    writer.on('refused', (err) => refusals.push(err));
    writer.on('acknowledged', () => acknowledged++);
    writer.doc.getText('code').insert(5, 'typed under the lock;');
    expect(writer.pending).toBe(1);
    await eventually(() => refusals.length > 0);
    expect(refusals[0]?.code).toBe('locked');
    // Settled, but not acknowledged: what shows the refusal keeps it until a change is taken.
    expect(acknowledged).toBe(0);
    await converged(server, name, [writer, peer]);
    expect(code(writer)).toBe('base;');

    await holder.unlock(c.id);
    const saved = new Promise<void>((resolve) => writer.on('saved', resolve));
    writer.doc.getText('code').insert(5, 'after;');
    await saved;
    expect(writer.pending).toBe(0);
    expect(acknowledged).toBe(1);
    await converged(server, name, [writer, peer]);
    expect(code(peer)).toBe('base;after;');
  });

  it('as a viewer: every edit is reverted and reported', async () => {
    const c = await buildComponent(server, ds.id, crew.editor, { code: 'ro' });
    const name = `component:${c.id}`;
    const viewer = await client(server, crew.viewer).openDocument(name);
    const editor = await client(server, crew.editor).openDocument(name);
    expect(viewer.readOnly).toBe(true);
    const refused = new Promise<EnsembleError>((resolve) => viewer.on('refused', resolve));
    viewer.doc.getText('code').insert(0, 'nope ');
    expect((await refused).code).toBe('forbidden');
    await converged(server, name, [viewer, editor]);
    editor.doc.getText('code').insert(2, '!');
    await eventually(() => code(viewer) === 'ro!');
  });

  it('over a live rule: a 300-character name is reverted with validation_failed', async () => {
    const c = await buildComponent(server, ds.id, crew.editor, { name: 'Keeps' });
    const name = `component:${c.id}`;
    const writer = await client(server, crew.editor).openDocument(name);
    const peer = await client(server, crew.admin).openDocument(name);
    const refused = new Promise<EnsembleError>((resolve) => writer.on('refused', resolve));
    writer.doc.getMap('meta').set('name', 'x'.repeat(300));
    expect((await refused).code).toBe('validation_failed');
    await converged(server, name, [writer, peer]);
    expect(writer.doc.getMap('meta').get('name')).toBe('Keeps');
    writer.doc.getText('code').insert(0, 'still works');
    await converged(server, name, [writer, peer]);
    expect(code(peer)).toMatch(/^still works/);
  });
});

describe('LiveDocument past the rate limit', () => {
  let slow: TestServer;
  beforeAll(async () => {
    slow = await startTestServer({ SOCKET_RATE_LIMIT_PER_SECOND: '5', SOCKET_ABUSE_DISCONNECT_AFTER: '1000' });
  });
  afterAll(() => slow.close());

  it('merges and re-sends what was rate-limited until every character is saved', async () => {
    const owner = await buildUser(slow);
    const team = await buildTeam(slow, owner);
    const dsSlow = await buildDesignSystem(slow, team, owner);
    const c = await buildComponent(slow, dsSlow.id, owner, { code: '' });
    const name = `component:${c.id}`;
    const writer = await client(slow, owner).openDocument(name);
    const peer = await client(slow, owner).openDocument(name);
    for (let i = 0; i < 200; i++) {
      writer.doc.getText('code').insert(i, String(i % 10));
      await sleep(2);
    }
    expect(writer.pending).toBeGreaterThan(0);
    await eventually(async () => JSON.parse(await stored(slow, name)).code.length === 200, 20_000);
    await converged(slow, name, [writer, peer]);
    expect(code(peer)).toBe(code(writer));
    expect(code(peer)).toHaveLength(200);
    // The limit did refuse some of them on the way.
    expect((await slow.api.get('/metrics')).text).toMatch(
      /realtime_events_total\{event="doc-update",outcome="rate_limited"\} [1-9]/,
    );
  }, 30_000);
});
