// A client that stops reading (a paused tab, a stalled network) while a document changes fast: the
// server stops queueing for it at the cap instead of buffering everything, and once the client reads
// again it is brought back in step with the whole document — over y-websocket and Socket.IO.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { WebSocket } from 'ws';
import * as Y from 'yjs';
import { syncStep1 } from '../../src/websocket/yjs/protocol.ts';
import { EnsembleClient } from '../../sdk/src/index.ts';
import { buildComponent, buildDesignSystem, buildTeam, buildUser, type TestUser } from '../support/factories.ts';
import { eventually } from '../support/realtime.ts';
import { startTestServer, type TestServer } from '../support/server.ts';
import { provide, type Provided } from '../support/yjs-provider.ts';

const CAP = 512 * 1024;
let server: TestServer;
let owner: TestUser;
let dsId: string;
const closers: (() => void)[] = [];

beforeAll(async () => {
  server = await startTestServer({
    SOCKET_MAX_BUFFERED_BYTES: String(CAP),
    SOCKET_RATE_LIMIT_PER_SECOND: '10000',
    MAX_CONNECTIONS_PER_USER: '100',
    SOCKET_PING_INTERVAL_MS: '25000',
    SOCKET_PING_TIMEOUT_MS: '25000',
  });
  owner = await buildUser(server);
  const team = await buildTeam(server, owner);
  dsId = (await buildDesignSystem(server, team, owner)).id;
}, 30_000);
afterAll(async () => {
  for (const close of closers) close();
  await server?.close();
});

/** The node's `realtime_buffered_bytes` and `realtime_slow_reader_total{transport}` right now. */
async function gauges(transport: string): Promise<{ buffered: number; slow: number }> {
  const text = await (await fetch(`${server.url}/metrics`)).text();
  const value = (re: RegExp) => Number(text.match(re)?.[1] ?? 0);
  return {
    buffered: value(/^realtime_buffered_bytes (\d+)/m),
    slow: value(new RegExp(`^realtime_slow_reader_total\\{transport="${transport}"\\} (\\d+)`, 'm')),
  };
}

/** 48 KB more into `text`, keeping it under the component's text limit (what goes over the wire is the insert). */
function churnText(text: Y.Text, i: number): void {
  if (text.length > 300_000) text.delete(0, 48 * 1024);
  text.insert(text.length, String(i % 10).repeat(48 * 1024));
}

/** Writes ~`megabytes` MB through a stock provider, in 48 KB edits, sampling the gauge. */
async function flood(writer: Provided, megabytes: number): Promise<number> {
  const text = writer.doc.getText('code');
  let peak = 0;
  for (let i = 0; i < (megabytes * 1024) / 48; i++) {
    churnText(text, i);
    if (i % 8 === 7) {
      await new Promise((r) => setTimeout(r, 20));
      peak = Math.max(peak, (await gauges('yjs')).buffered);
    }
  }
  return peak;
}

describe('slow readers', () => {
  it('a y-websocket connection that stops reading is held at the cap, then resynced when it reads again', async () => {
    const name = `component:${(await buildComponent(server, dsId, owner)).id}`;
    const writer = provide(server.url, name, owner.accessToken);
    closers.push(() => writer.close());
    await writer.synced;
    // The reader: a raw connection that syncs, then stops reading its socket.
    const reader = new WebSocket(`${server.url.replace(/^http/, 'ws')}/yjs/${name}?token=${owner.accessToken}`);
    closers.push(() => reader.terminate());
    const replica = new Y.Doc();
    reader.on('message', (data: Buffer) => {
      const bytes = new Uint8Array(data);
      // sync messages (0): step 2 (1) or update (2), both carry an update
      if (bytes[0] === 0 && (bytes[1] === 1 || bytes[1] === 2)) {
        const body = bytes.subarray(2);
        let len = 0;
        let shift = 0;
        let at = 0;
        for (;;) {
          const b = body[at++] as number;
          len |= (b & 0x7f) << shift;
          shift += 7;
          if (b < 0x80) break;
        }
        Y.applyUpdate(replica, body.subarray(at, at + len));
      }
    });
    await new Promise((ok) => reader.once('open', ok));
    reader.send(syncStep1(Y.encodeStateVector(replica)));
    await new Promise((r) => setTimeout(r, 200));
    (reader as unknown as { _socket: { pause(): void; resume(): void } })._socket.pause();

    const peak = await flood(writer, 24);
    const after = await gauges('yjs');
    expect(after.slow).toBeGreaterThanOrEqual(1);
    // The cap, one update message over it and the 48 KB edits' framing; never the whole flood.
    expect(peak).toBeLessThan(CAP + 256 * 1024);

    (reader as unknown as { _socket: { resume(): void } })._socket.resume();
    await eventually(() => replica.getText('code').length === writer.doc.getText('code').length, 20_000);
    expect(replica.getText('code').toString()).toBe(writer.doc.getText('code').toString());
    console.log(
      `slow reader (y-websocket): 24 MB written, peak buffered ${(peak / 1024).toFixed(0)} KiB with a ${CAP / 1024} KiB cap; resynced`,
    );
  }, 90_000);

  it('a Socket.IO connection that stops reading stops getting updates, and is told to resync when it reads again', async () => {
    const name = `component:${(await buildComponent(server, dsId, owner)).id}`;
    const writer = provide(server.url, name, owner.accessToken);
    closers.push(() => writer.close());
    await writer.synced;
    const client = new EnsembleClient({ url: server.url, token: owner.accessToken, socket: { forceNew: true } });
    closers.push(() => client.close());
    const live = await client.openDocument(name);
    const engine = client.socket.io.engine as unknown as {
      transport: { ws?: { _socket: { pause(): void; resume(): void } } };
    };
    const socket = engine.transport.ws?._socket;
    expect(socket).toBeDefined();
    socket?.pause();
    const before = (await gauges('socket.io')).slow;
    const text = writer.doc.getText('code');
    for (let i = 0; i < 512; i++) {
      churnText(text, i);
      if (i % 8 === 7) await new Promise((r) => setTimeout(r, 20));
    }
    await eventually(async () => (await gauges('socket.io')).slow > before, 10_000);
    expect((await gauges('socket.io')).buffered).toBeLessThan(CAP + 256 * 1024);
    socket?.resume();
    await eventually(() => live.doc.getText('code').length === text.length, 20_000);
    expect(live.doc.getText('code').toString()).toBe(text.toString());
  }, 90_000);
});
