// bench/realtime — how much server CPU, latency and memory one realtime workload costs on
// Ensemble and on the servers it is compared with. A script, not a test.
//
//   node_modules/.bin/node bench/realtime/run.ts [--servers ws,yws,hocuspocus,sio,ensemble-yws,ensemble-sio,ensemble-sio-bin]
//       [--repeats 3] [--seconds 20] [--clients 200] [--docs 20] [--rate 5] [--idle 2000]
//       [--quiet-cores 0.3] [--quiet-wait 30] [--out bench/realtime/results.json]
//
// Workload: `clients` connections over `docs` documents; every client inserts 8 characters at a
// random position of the shared Y.Text `rate` times a second for `seconds`. All clients live in
// this process; every server runs as its own child process (servers/*.ts, or Ensemble's
// src/main.ts) so that its CPU (utime+stime from /proc/<pid>/stat) and memory (VmHWM, VmRSS)
// are its own. One client per document applies everything to a real Y.Doc (convergence check);
// the others only decode what they receive (Y.decodeUpdate), so the client process stays cheap.
//
// Per server and repeat: server CPU µs per edit over the edit window plus its drain, and its
// ratio to the bare ws relay of the same repeat; p50/p99 fan-out latency (send → each other
// client's receive, same clock); peak RSS; deliveries vs expected (each edit to the other
// clients of its document, echoes to the sender not counted); convergence (the full client
// holds every edit, and for servers with state, equals a fresh client's sync). Then, on a fresh
// server process, idle RSS per connection with `idle` synced silent connections (after a GC).
// Servers run one at a time, interleaved (A B C…, A B C…); the report gives medians.
// The machine is shared: before each workload run the harness waits (up to --quiet-wait s) until
// other processes use less than --quiet-cores cores, and records the other load seen per run.
//
// Ensemble is included only when src/websocket/ exists; it needs the local PostgreSQL at
// postgresql://postgres@127.0.0.1:5432 (BENCH_PG_ADMIN_URL) to create a throwaway database.
// Results: a markdown table on stdout and results.json (rewritten after every run).
import { parseArgs } from 'node:util';
import { runIdle } from './idle.ts';
import { waitForQuietMachine } from './metrics.ts';
import { markdownTable, summarize, writeResults, type RunRecord } from './report.ts';
import { killAllServers, repoRoot } from './servers/child.ts';
import { dropBenchDatabases, ensembleAvailable, ensembleDefinition, type EnsembleId } from './servers/ensemble.ts';
import { peers } from './servers/peers.ts';
import { SERVER_IDS, type ServerDefinition, type ServerId } from './servers/types.ts';
import { runWorkload } from './workload.ts';

const { values: args } = parseArgs({
  options: {
    servers: { type: 'string', default: SERVER_IDS.join(',') },
    repeats: { type: 'string', default: '3' },
    seconds: { type: 'string', default: '20' },
    clients: { type: 'string', default: '200' },
    docs: { type: 'string', default: '20' },
    rate: { type: 'string', default: '5' },
    idle: { type: 'string', default: '2000' },
    'quiet-cores': { type: 'string', default: '0.3' },
    'quiet-wait': { type: 'string', default: '30' },
    out: { type: 'string', default: `${repoRoot}bench/realtime/results.json` },
  },
});
const options = {
  repeats: Number(args.repeats),
  seconds: Number(args.seconds),
  clients: Number(args.clients),
  docs: Number(args.docs),
  rate: Number(args.rate),
  idle: Number(args.idle),
  quietCores: Number(args['quiet-cores']),
  quietWaitSeconds: Number(args['quiet-wait']),
};
const requested = args.servers.split(',').map((s) => s.trim()) as ServerId[];
const unknown = requested.filter((id) => !SERVER_IDS.includes(id));
if (unknown.length) {
  process.stderr.write(`unknown server(s): ${unknown.join(', ')} (known: ${SERVER_IDS.join(', ')})\n`);
  process.exit(2);
}

const log = (line: string): void => void process.stderr.write(`${line}\n`);
const notes: string[] = [];
const definitions: ServerDefinition[] = requested.flatMap((id): ServerDefinition[] => {
  const peer = peers.find((p) => p.id === id);
  if (peer) return [peer];
  if (ensembleAvailable()) return [ensembleDefinition(id as EnsembleId)];
  notes.push(`${id} skipped: src/websocket/ does not exist yet in this checkout`);
  return [];
});

let cleaningUp = false;
async function cleanup(): Promise<void> {
  if (cleaningUp) return;
  cleaningUp = true;
  killAllServers();
  await dropBenchDatabases();
}
process.on('exit', killAllServers);
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => void cleanup().finally(() => process.exit(130)));
}

/** Waits for other processes on the machine (test suites…) to calm down before a measurement. */
async function quiet(): Promise<void> {
  const cores = await waitForQuietMachine(options.quietCores, options.quietWaitSeconds * 1000);
  if (cores > options.quietCores)
    log(`  machine still busy (${cores.toFixed(2)} cores) after ${options.quietWaitSeconds} s; measuring anyway`);
}

const records: RunRecord[] = [];
const broken = new Set<ServerId>();
const order = definitions.map((d) => d.id);
const save = (): void =>
  writeResults(args.out, { ...options, servers: order, notes }, records, summarize(records, order));

for (let repeat = 1; repeat <= options.repeats; repeat++) {
  for (const definition of definitions) {
    if (broken.has(definition.id)) continue;
    const record: RunRecord = { repeat, server: definition.id, label: definition.label, version: definition.version };
    records.push(record);
    try {
      await quiet();
      log(`[${repeat}/${options.repeats}] ${definition.label}: workload`);
      const server = await definition.start(options.docs);
      try {
        record.workload = await runWorkload(server, options);
      } finally {
        await server.stop();
      }
      const w = record.workload;
      log(
        `  ${w.serverCpuPerEditMicros.toFixed(0)} µs/edit (${w.serverSystemCpuPerEditMicros.toFixed(0)} kernel, ` +
          `${w.serverWritesPerEdit.toFixed(1)} writes), p50 ${w.latencyP50Ms.toFixed(1)} ms, p99 ${w.latencyP99Ms.toFixed(1)} ms, ` +
          `${w.delivered}/${w.expectedDeliveries} delivered, converged ${w.converged} (${w.convergence}), client CPU ${w.clientCpuPercent.toFixed(0)}%, other load ${w.otherLoadCores.toFixed(2)} cores` +
          (w.failures ? `, ${w.failures} failures: ${w.lastFailure}` : ''),
      );
      if (options.idle > 0) {
        log(`[${repeat}/${options.repeats}] ${definition.label}: ${options.idle} idle connections`);
        const idleServer = await definition.start(options.docs);
        try {
          record.idle = await runIdle(idleServer, options.idle, options.docs);
        } finally {
          await idleServer.stop();
        }
        log(
          `  ${record.idle.perConnectionKib.toFixed(1)} KiB/connection (raw ${record.idle.rawPerConnectionKib.toFixed(1)})`,
        );
      }
    } catch (err) {
      record.error = (err as Error).message;
      log(`  failed: ${record.error}`);
      if (record.workload === undefined) broken.add(definition.id);
    }
    save();
  }
}

const summaries = summarize(records, order);
save();
await cleanup();
process.stdout.write(`\n${markdownTable(summaries, options.idle)}\n`);
for (const s of summaries) for (const e of s.errors) process.stdout.write(`\n- ${s.label}, ${e}`);
for (const note of notes) process.stdout.write(`\n- ${note}`);
process.stdout.write(`\n\nresults: ${args.out}\n`);
process.exit(0);
