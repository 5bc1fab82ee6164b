// RELAY_COALESCE_MS holds accepted updates to relay them together (fewer writes per connection):
// everything still reaches every client, in order, over Socket.IO and /yjs alike, and converges.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import * as Y from 'yjs';
import { buildComponent, buildCrew, buildDesignSystem } from '../support/factories.ts';
import { call, eventually, subscribeDoc, type Client } from '../support/realtime.ts';
import { startTestServer, type TestServer } from '../support/server.ts';
import { edit } from '../support/yjs-client.ts';
import { provide, type Provided } from '../support/yjs-provider.ts';

let server: TestServer;
let crew: Awaited<ReturnType<typeof buildCrew>>;
let ds: { id: string };
const sockets: Client[] = [];
const providers: Provided[] = [];
beforeAll(async () => {
  server = await startTestServer({ RELAY_COALESCE_MS: '40' });
  crew = await buildCrew(server);
  ds = await buildDesignSystem(server, crew.team, crew.editor);
});
afterAll(async () => {
  for (const s of sockets) s.close();
  for (const p of providers) p.close();
  await server.close();
});

async function subscribed(who: { accessToken: string }, docName: string) {
  const live = await subscribeDoc(server, who, docName);
  sockets.push(live.socket);
  return live;
}

describe('relays held for a coalescing window', () => {
  it('reach every client and converge with the server', async () => {
    const c = await buildComponent(server, ds.id, crew.editor, { code: '' });
    const name = `component:${c.id}`;
    const a = await subscribed(crew.editor, name);
    const b = await subscribed(crew.admin, name);
    const yjs = provide(server.url, name, crew.owner.accessToken);
    providers.push(yjs);
    await yjs.synced;
    const acks: Promise<{ ok: boolean }>[] = [];
    for (let i = 0; i < 30; i++) {
      acks.push(
        call(a.socket, 'doc-update', {
          docName: name,
          update: edit(a.doc, (d) => d.getText('code').insert(0, `a${i};`)),
        }),
      );
      acks.push(
        call(b.socket, 'doc-update', {
          docName: name,
          update: edit(b.doc, (d) => d.getText('code').insert(d.getText('code').length, `b${i};`)),
        }),
      );
    }
    yjs.doc.getText('code').insert(0, 'yjs;');
    expect((await Promise.all(acks)).every((ack) => ack.ok)).toBe(true);
    const stored = new Y.Doc();
    await eventually(async () => {
      Y.applyUpdate(stored, await server.services.documents.encodeState(name, null));
      const text = stored.getText('code').toString();
      return (
        text.length === 'yjs;'.length + 30 * 'a0;'.length + 30 * 'b0;'.length + 20 * 2 &&
        [a.doc, b.doc, yjs.doc].every((d) => d.getText('code').toString() === text)
      );
    });
    // Each sender's edits in its own order; the /yjs client's concurrent insert lands where Yjs puts it.
    const text = stored.getText('code').toString();
    expect(text.split('yjs;')).toHaveLength(2);
    const rest = text.replace('yjs;', '');
    const fromA = Array.from({ length: 30 }, (_, i) => `a${29 - i};`).join('');
    const fromB = Array.from({ length: 30 }, (_, i) => `b${i};`).join('');
    expect([fromA + fromB, fromB + fromA]).toContain(rest);
  });
});
