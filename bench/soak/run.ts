// Soak: one Ensemble server process under steady edits and connection churn for a while, sampling
// its RSS (from /proc) and heap/external memory (its /metrics) every 15 s, and printing the slope
// per minute. A script, not a test (it runs for minutes):
//
//   node bench/soak/run.ts [--minutes 5] [--clients 40] [--docs 4] [--out results.json]
//
// Environment for the server child can be varied with BENCH_ENSEMBLE_NODE_FLAGS (node flags), e.g.
// to compare allocator settings run it twice. Needs the local PostgreSQL (see bench/realtime/run.ts).
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { io, type Socket } from 'socket.io-client';
import * as Y from 'yjs';
import { processMemoryKib, sleep } from '../realtime/metrics.ts';
import { BENCH_METRICS_TOKEN, dropBenchDatabases, ensembleDefinition } from '../realtime/servers/ensemble.ts';

const { values } = parseArgs({
  options: {
    minutes: { type: 'string', default: '5' },
    clients: { type: 'string', default: '40' },
    docs: { type: 'string', default: '4' },
    out: { type: 'string' },
  },
});
const minutes = Number(values.minutes);
const clientCount = Number(values.clients);
const docCount = Number(values.docs);

interface Client {
  socket: Socket;
  doc: Y.Doc;
  docName: string;
}

async function connect(
  baseUrl: string,
  token: string,
  docName: string,
  encoding: 'binary' | 'base64',
): Promise<Client> {
  const socket = io(baseUrl, { transports: ['websocket'], auth: { token }, forceNew: true, reconnection: false });
  const doc = new Y.Doc();
  await new Promise<void>((ok, fail) => {
    socket.once('connect_error', fail);
    socket.once('connect', () =>
      socket.emit(
        'doc-subscribe',
        { docName, encoding },
        (ack: { ok: boolean; data?: { state: Uint8Array | string } }) => {
          if (!ack.ok || !ack.data) return fail(new Error('subscribe refused'));
          const state = ack.data.state;
          Y.applyUpdate(doc, typeof state === 'string' ? Buffer.from(state, 'base64') : new Uint8Array(state));
          ok();
        },
      ),
    );
  });
  socket.on('doc-update', (m: { update: Uint8Array | string }) =>
    Y.applyUpdate(
      doc,
      typeof m.update === 'string' ? Buffer.from(m.update, 'base64') : new Uint8Array(m.update),
      'remote',
    ),
  );
  doc.on('update', (update: Uint8Array, origin: unknown) => {
    if (origin !== 'remote')
      socket.emit(
        'doc-update',
        { docName, update: encoding === 'base64' ? Buffer.from(update).toString('base64') : update },
        () => undefined,
      );
  });
  return { socket, doc, docName };
}

async function serverMemory(baseUrl: string): Promise<{ heapMib: number; externalMib: number }> {
  const text = await (
    await fetch(`${baseUrl}/metrics`, { headers: { authorization: `Bearer ${BENCH_METRICS_TOKEN}` } })
  ).text();
  const value = (name: string) => Number(text.match(new RegExp(`^${name} (\\S+)`, 'm'))?.[1] ?? NaN) / 1024 / 1024;
  return { heapMib: value('nodejs_heap_size_used_bytes'), externalMib: value('nodejs_external_memory_bytes') };
}

/** Least-squares slope of y over x. */
function slope(xs: number[], ys: number[]): number {
  const n = xs.length;
  const mx = xs.reduce((a, b) => a + b, 0) / n;
  const my = ys.reduce((a, b) => a + b, 0) / n;
  let num = 0;
  let den = 0;
  for (let i = 0; i < n; i++) {
    num += ((xs[i] as number) - mx) * ((ys[i] as number) - my);
    den += ((xs[i] as number) - mx) ** 2;
  }
  return den ? num / den : 0;
}

const server = await ensembleDefinition('ensemble-sio').start(docCount);
const token = server.token as string;
const clients: Client[] = [];
for (let i = 0; i < clientCount; i++)
  clients.push(
    await connect(server.baseUrl, token, server.docNames[i % docCount] as string, i % 2 ? 'base64' : 'binary'),
  );
console.log(
  `soak: ${clientCount} clients on ${docCount} documents, ${minutes} min, 2 edits/s each, a quarter reconnecting every 15 s`,
);

let edits = 0;
const typing = setInterval(() => {
  for (const c of clients) {
    const text = c.doc.getText('code');
    text.insert(Math.floor(Math.random() * (text.length + 1)), 'abcd');
    edits++;
  }
}, 500);

const samples: { minute: number; rssMib: number; heapMib: number; externalMib: number; edits: number }[] = [];
const started = performance.now();
let round = 0;
while (performance.now() - started < minutes * 60_000) {
  await sleep(15_000);
  // Churn: a quarter of the clients leave and come back (on a fresh connection and document).
  const start = (round++ * Math.ceil(clientCount / 4)) % clientCount;
  for (let i = start; i < Math.min(clientCount, start + Math.ceil(clientCount / 4)); i++) {
    const old = clients[i] as Client;
    old.socket.disconnect();
    old.doc.destroy();
    clients[i] = await connect(server.baseUrl, token, old.docName, i % 2 ? 'base64' : 'binary');
  }
  const { rssKib } = processMemoryKib(server.pid);
  const sample = {
    minute: (performance.now() - started) / 60_000,
    rssMib: rssKib / 1024,
    ...(await serverMemory(server.baseUrl)),
    edits,
  };
  samples.push(sample);
  console.log(
    `${sample.minute.toFixed(2)} min: RSS ${sample.rssMib.toFixed(1)} MiB, heap ${sample.heapMib.toFixed(1)} MiB, external ${sample.externalMib.toFixed(1)} MiB, ${edits} edits`,
  );
}
clearInterval(typing);
for (const c of clients) c.socket.disconnect();
// The first minute is warm-up (caches, JIT, pools); the slope is taken over the rest.
const steady = samples.filter((s) => s.minute >= 1);
const result = {
  minutes,
  clients: clientCount,
  edits,
  rssSlopeMibPerMin: slope(
    steady.map((s) => s.minute),
    steady.map((s) => s.rssMib),
  ),
  heapSlopeMibPerMin: slope(
    steady.map((s) => s.minute),
    steady.map((s) => s.heapMib),
  ),
  externalSlopeMibPerMin: slope(
    steady.map((s) => s.minute),
    steady.map((s) => s.externalMib),
  ),
  samples,
};
console.log(
  `slopes after the first minute: RSS ${result.rssSlopeMibPerMin.toFixed(2)} MiB/min, heap ${result.heapSlopeMibPerMin.toFixed(2)} MiB/min, external ${result.externalSlopeMibPerMin.toFixed(2)} MiB/min`,
);
if (values.out) writeFileSync(values.out, JSON.stringify(result, null, 2));
await server.stop();
await dropBenchDatabases();
