// bench/realtime/providers — W1: what a user feels with the real client libraries. A script, not a test.
//
//   node_modules/.bin/node bench/realtime/providers/run.ts [--servers yws,hocuspocus,ensemble-yws,ensemble-sio]
//       [--docs 10] [--clients 5] [--seconds 30] [--rate 1] [--out bench/realtime/providers/results.json] [--smoke]
//
// Per server: `docs` documents with `clients` editors each, every editor inserting a marker of
// 12 characters at a random position once every 1/`rate` s (random phase) for `seconds`. Clients
// are the stock libraries (clients.ts): y-websocket's WebsocketProvider for @y/websocket-server and
// Ensemble's /yjs, Hocuspocus's provider for Hocuspocus, the SDK for Ensemble's Socket.IO path.
// Fan-out latency: from the local edit to each other editor of the document seeing the marker in
// its Y.Text (same process, same clock), p50/p95/p99. Ack latency: from the edit to the moment the
// sender's library says the server has it (unsynced changes back at 0), where the library has one.
// Ensemble runs with its durability on (the ack waits for the PostgreSQL commit).
import { writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { median, percentile, sleep, waitFor } from '../metrics.ts';
import { killAllServers, repoRoot } from '../servers/child.ts';
import { dropBenchDatabases, ensembleDefinition } from '../servers/ensemble.ts';
import { peers } from '../servers/peers.ts';
import type { ServerDefinition, ServerHandle } from '../servers/types.ts';
import { CLIENTS, type ClientKind, type Editor } from './clients.ts';

const { values: args } = parseArgs({
  options: {
    servers: { type: 'string', default: 'yws,hocuspocus,ensemble-yws,ensemble-sio' },
    docs: { type: 'string', default: '10' },
    clients: { type: 'string', default: '5' },
    seconds: { type: 'string', default: '30' },
    rate: { type: 'string', default: '1' },
    out: { type: 'string', default: `${repoRoot}bench/realtime/providers/results.json` },
    smoke: { type: 'boolean', default: false },
  },
});
const smoke = args.smoke;
const options = {
  docs: smoke ? 2 : Number(args.docs),
  clients: smoke ? 2 : Number(args.clients),
  seconds: smoke ? 3 : Number(args.seconds),
  rate: Number(args.rate),
};

const SERVERS: Record<string, { definition: ServerDefinition; client: ClientKind }> = {
  yws: { definition: peers.find((p) => p.id === 'yws') as ServerDefinition, client: 'y-websocket' },
  hocuspocus: { definition: peers.find((p) => p.id === 'hocuspocus') as ServerDefinition, client: 'hocuspocus' },
  'ensemble-yws': { definition: ensembleDefinition('ensemble-yws'), client: 'y-websocket' },
  'ensemble-sio': { definition: ensembleDefinition('ensemble-sio'), client: 'sdk' },
};

interface Result {
  server: string;
  label: string;
  client: ClientKind;
  edits: number;
  delivered: number;
  expected: number;
  fanout: { p50: number; p95: number; p99: number };
  ack: { p50: number; p95: number; p99: number } | null;
  /** The machine's 1-minute load average at the end of the run (2 cores here). */
  load: number;
}

const MARKER = /~(\d+)\.(\d+)~/g;

function quantiles(samples: number[]) {
  const values = Float64Array.from(samples).sort();
  const q = (p: number) => Math.round(percentile(values, values.length, p) * 10) / 10;
  return { p50: q(50), p95: q(95), p99: q(99) };
}

async function measure(id: string): Promise<Result> {
  const { definition, client } = SERVERS[id] as (typeof SERVERS)[string];
  const server: ServerHandle = await definition.start(options.docs);
  const editors: { editor: Editor; doc: number; index: number }[] = [];
  const sentAt = new Map<string, number>();
  const fanout: number[] = [];
  const ack: number[] = [];
  let delivered = 0;
  try {
    for (let d = 0; d < options.docs; d++) {
      for (let c = 0; c < options.clients; c++) {
        const index = d * options.clients + c;
        const editor = CLIENTS[client](server, server.docNames[d] as string);
        editors.push({ editor, doc: d, index });
        // Every marker another editor inserted, the moment this editor's text has it.
        editor.doc.getText('code').observe((event) => {
          if (event.transaction.local) return;
          const now = performance.now();
          for (const op of event.delta) {
            if (typeof op.insert !== 'string') continue;
            for (const [marker] of op.insert.matchAll(MARKER)) {
              const at = sentAt.get(marker);
              if (at === undefined) continue;
              fanout.push(now - at);
              delivered++;
            }
          }
        });
        const unacked: number[] = [];
        editor.onAcked?.((at) => {
          for (const sent of unacked.splice(0)) ack.push(at - sent);
        });
        (editor as Editor & { unacked?: number[] }).unacked = unacked;
      }
    }
    await Promise.all(editors.map(({ editor }) => editor.ready));
    await sleep(500);

    let edits = 0;
    const periodMs = 1000 / options.rate;
    const until = performance.now() + options.seconds * 1000;
    const timers = editors.map(({ editor, index }) => {
      let seq = 0;
      const edit = () => {
        if (performance.now() >= until) return;
        const marker = `~${index}.${seq++}~`;
        const text = editor.doc.getText('code');
        const at = performance.now();
        sentAt.set(marker, at);
        (editor as Editor & { unacked?: number[] }).unacked?.push(at);
        text.insert(Math.floor(Math.random() * (text.length + 1)), marker);
        edits++;
        timer = setTimeout(edit, periodMs);
      };
      let timer = setTimeout(edit, Math.random() * periodMs);
      return () => clearTimeout(timer);
    });
    await sleep(options.seconds * 1000 + periodMs);
    for (const stop of timers) stop();
    const expected = edits * (options.clients - 1);
    await waitFor(() => delivered >= expected, 10_000);
    return {
      server: id,
      label: definition.label,
      client,
      edits,
      delivered,
      expected,
      fanout: quantiles(fanout),
      ack: ack.length > 0 ? quantiles(ack) : null,
      load: Math.round((loadavg()[0] ?? 0) * 100) / 100,
    };
  } finally {
    for (const { editor } of editors) editor.close();
    await server.stop();
  }
}

function table(results: Result[]): string {
  const lines = [
    '| Server | Client library | edits | delivered / expected | fan-out p50 / p95 / p99 ms | sender ack p50 / p95 / p99 ms | load |',
    '|---|---|--:|--:|--:|--:|--:|',
  ];
  for (const r of results) {
    const ack = r.ack ? `${r.ack.p50} / ${r.ack.p95} / ${r.ack.p99}` : '— (no ack in the protocol)';
    const f = r.fanout;
    lines.push(
      `| ${r.label} | ${r.client} | ${r.edits} | ${r.delivered} / ${r.expected} | ${f.p50} / ${f.p95} / ${f.p99} | ${ack} | ${r.load} |`,
    );
  }
  return lines.join('\n');
}

// Every stock WebsocketProvider adds a process 'exit' listener.
process.setMaxListeners(0);
process.on('SIGINT', () => {
  killAllServers();
  void dropBenchDatabases().finally(() => process.exit(130));
});

const results: Result[] = [];
try {
  for (const id of (args.servers as string).split(',')) {
    if (!SERVERS[id]) throw new Error(`unknown server ${id}; choose from ${Object.keys(SERVERS).join(', ')}`);
    process.stderr.write(
      `${id}: ${options.docs} docs × ${options.clients} clients at ${options.rate}/s for ${options.seconds} s\n`,
    );
    results.push(await measure(id));
    if (!smoke)
      writeFileSync(
        args.out as string,
        `${JSON.stringify({ options, at: new Date().toISOString(), results }, null, 2)}\n`,
      );
  }
} finally {
  killAllServers();
  await dropBenchDatabases();
}
process.stdout.write(`${table(results)}\n`);
process.stdout.write(`median fan-out p50 across servers: ${median(results.map((r) => r.fanout.p50))} ms\n`);
process.exit(0);
