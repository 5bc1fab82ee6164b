// A rolling restart as an operator runs one: SIGTERM each node of two in turn and start it again,
// while SDK clients and stock y-websocket providers on both keep typing. Every client reconnects by
// itself, no edit is lost (acknowledged or not: the SDK and the provider keep and resend what the
// server may lack), and every replica ends with the same text.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { EnsembleClient, type LiveDocument } from '../../sdk/src/index.ts';
import { Api } from '../support/api.ts';
import { exitWithin, freePort, reap, spawnServer, waitReady, type ServerProcess } from '../support/process.ts';
import * as Y from 'yjs';
import { call, connect, eventually } from '../support/realtime.ts';
import { edit } from '../support/yjs-client.ts';
import { testEnv } from '../support/server.ts';
import { provide, type Provided } from '../support/yjs-provider.ts';

let env: Record<string, string>;
const nodes: ServerProcess[] = [];
const ports: number[] = [];
let token: string;
let docName: string;
const clients: EnsembleClient[] = [];
const providers: Provided[] = [];

beforeAll(async () => {
  env = await testEnv({
    LOG_LEVEL: 'warn',
    MAX_CONNECTIONS_PER_USER: '1000',
    SHUTDOWN_DRAIN_MS: '3000',
    SOCKET_RATE_LIMIT_PER_SECOND: '100000',
    SOCKET_ABUSE_DISCONNECT_AFTER: '100000',
  });
  for (let i = 0; i < 2; i++) ports.push(await freePort());
  nodes.push(...ports.map((port) => spawnServer({ ...env, PORT: String(port) })));
  await Promise.all(nodes.map((n) => waitReady(n)));
  const api = new Api(nodes[0]?.url as string);
  const reg = await api.post('/api/auth/register', {
    email: `roll-${randomBytes(5).toString('hex')}@example.test`,
    password: `pw-${randomBytes(6).toString('hex')}-long-enough`,
    name: 'Rolling Rita',
  });
  expect(reg.status).toBe(201);
  token = reg.body.accessToken;
  const team = await api.as(token).post('/api/teams', { name: `Team ${randomBytes(4).toString('hex')}` });
  const ds = await api.as(token).post('/api/design-systems', { teamId: team.body.id, name: 'Rolling DS' });
  const component = await api
    .as(token)
    .post(`/api/design-systems/${ds.body.id}/components`, { name: 'Ticker', category: 'data', code: '' });
  expect(component.status).toBe(201);
  docName = `component:${component.body.id}`;
}, 180_000);

afterAll(async () => {
  for (const c of clients) c.close();
  for (const p of providers) p.close();
  await Promise.all(nodes.map((n) => reap(n)));
});

interface Writer {
  name: string;
  text: () => string;
  type: (marker: string) => void;
  connected: () => boolean;
}

async function sdkWriter(nodeIndex: number, name: string): Promise<Writer> {
  const client = new EnsembleClient({
    url: `http://127.0.0.1:${ports[nodeIndex]}`,
    token: async () => token,
    socket: { forceNew: true, reconnectionDelay: 100, reconnectionDelayMax: 500 },
  });
  clients.push(client);
  client.on('error', () => undefined);
  const live: LiveDocument = await client.openDocument(docName);
  const text = live.doc.getText('code');
  return {
    name,
    text: () => text.toString(),
    type: (m) => text.insert(text.length, m),
    connected: () => client.socket.connected,
  };
}

async function yjsWriter(nodeIndex: number, name: string): Promise<Writer> {
  const p = provide(`http://127.0.0.1:${ports[nodeIndex]}`, docName, token);
  providers.push(p);
  await p.synced;
  const text = p.doc.getText('code');
  return {
    name,
    text: () => text.toString(),
    type: (m) => text.insert(text.length, m),
    connected: () => p.provider.wsconnected && p.provider.synced,
  };
}

const markersOf = (text: string) => new Set(text.match(/\[[a-z0-9-]+\]/g) ?? []);

describe('rolling restart', () => {
  it('every client rides a SIGTERM of its node: it reconnects by itself and nothing typed is lost', async () => {
    const writers = [
      await sdkWriter(0, 'sa'),
      await yjsWriter(0, 'ya'),
      await sdkWriter(1, 'sb'),
      await yjsWriter(1, 'yb'),
    ];
    const typed = new Set<string>();
    let n = 0;
    const typing = setInterval(() => {
      for (const w of writers) {
        const marker = `[${w.name}-${n}]`;
        w.type(marker);
        typed.add(marker);
      }
      n++;
    }, 25);
    const figures: string[] = [];
    try {
      for (const index of [0, 1]) {
        await new Promise((r) => setTimeout(r, 500));
        const node = nodes[index] as ServerProcess;
        const stoppedAt = performance.now();
        node.child.kill('SIGTERM');
        expect(await exitWithin(node, 10_000)).toBe(0);
        const exitMs = performance.now() - stoppedAt;
        const restarted = spawnServer({ ...env, PORT: String(ports[index]) });
        nodes[index] = restarted;
        await waitReady(restarted);
        const readyMs = performance.now() - stoppedAt;
        const mine = writers.filter((w) => w.name.endsWith(index === 0 ? 'a' : 'b'));
        await eventually(() => mine.every((w) => w.connected()), 15_000);
        figures.push(
          `node ${index}: exit ${exitMs.toFixed(0)} ms, ready again ${readyMs.toFixed(0)} ms, clients back ${(performance.now() - stoppedAt).toFixed(0)} ms after SIGTERM`,
        );
      }
      await new Promise((r) => setTimeout(r, 500));
    } finally {
      clearInterval(typing);
    }
    // Every replica converges on every marker anyone typed.
    await eventually(
      () => writers.every((w) => markersOf(w.text()).size === typed.size && w.text() === writers[0]?.text()),
      20_000,
    ).catch((err: Error) => {
      throw new Error(
        `${err.message}: typed ${typed.size}, held ${writers.map((w) => `${w.name}=${markersOf(w.text()).size}`).join(' ')}`,
      );
    });
    console.log(`rolling restart: ${typed.size} markers typed on 4 clients, 0 lost; ${figures.join('; ')}`);
  }, 240_000);

  it('a SIGTERM answers every event in flight before the transport closes (ok, or service_unavailable to send again)', async () => {
    const index = 1;
    const c = await connect({ url: `http://127.0.0.1:${ports[index]}` }, token);
    const sub = await call(c, 'doc-subscribe', { docName }, 10_000);
    expect(sub.ok).toBe(true);
    const base = new Uint8Array(sub.data.state);
    const outcomes = { ok: 0, unavailable: 0, other: 0, unanswered: 0 };
    const others: string[] = [];
    let stop = false;
    let sigterm = 0;
    const inFlight = new Set<Promise<void>>();
    const writing = (async () => {
      for (let i = 0; !stop && c.connected && i < 5000; i++) {
        const d = new Y.Doc();
        Y.applyUpdate(d, base);
        const update = edit(d, (doc) => doc.getText('code').insert(0, `[t-${i}]`));
        d.destroy();
        const p: Promise<void> = call(c, 'doc-update', { docName, update }, 8000).then(
          (ack) => {
            if (ack.ok) outcomes.ok++;
            else if (ack.error?.code === 'service_unavailable') {
              outcomes.unavailable++;
              stop = true; // as a client does: hold further edits until reconnected
            } else {
              outcomes.other++;
              others.push(ack.error?.code ?? '?');
            }
          },
          () => void outcomes.unanswered++,
        );
        const tracked = p.finally(() => inFlight.delete(tracked));
        inFlight.add(tracked);
        if (++sigterm === 200) (nodes[index] as ServerProcess).child.kill('SIGTERM');
        if (inFlight.size >= 16) await Promise.race(inFlight);
      }
      await Promise.all(inFlight);
    })();
    await writing;
    c.close();
    expect(await exitWithin(nodes[index] as ServerProcess, 10_000)).toBe(0);
    nodes[index] = spawnServer({ ...env, PORT: String(ports[index]) });
    await waitReady(nodes[index] as ServerProcess);
    console.log(
      `SIGTERM with 16 updates in flight: ${JSON.stringify(outcomes)}${others.length ? ` (${[...new Set(others)].join(', ')})` : ''}`,
    );
    expect(outcomes.ok).toBeGreaterThanOrEqual(200 - 16);
    expect({ unanswered: outcomes.unanswered, other: outcomes.other }).toEqual({ unanswered: 0, other: 0 });
  }, 180_000);
});
