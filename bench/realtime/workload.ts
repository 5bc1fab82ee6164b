// The measured workload against one running server: `clients` connections over `docs`
// documents, each client inserting EDIT_LENGTH characters at a random position `rate` times a
// second for `seconds`. The server's CPU is read from /proc before the first edit and after the
// last delivery (or a stall), so the window is the edit phase plus its drain.
import * as Y from 'yjs';
import { BenchClient } from './clients/bench-client.ts';
import { connectAll, withTimeout } from './clients/pool.ts';
import { EDIT_LENGTH, DeliveryTracker } from './clients/tracker.ts';
import { connect, type TransportStats } from './clients/transport.ts';
import {
  machineBusyMicros,
  percentile,
  processCpuMicros,
  processMemoryKib,
  processSystemMicros,
  processWriteSyscalls,
  sleep,
  waitFor,
} from './metrics.ts';
import type { ServerHandle } from './servers/types.ts';

export interface WorkloadOptions {
  clients: number;
  docs: number;
  seconds: number;
  rate: number;
}

export interface WorkloadResult {
  edits: number;
  expectedDeliveries: number;
  delivered: number;
  echoes: number;
  unmatched: number;
  failures: number;
  lastFailure?: string;
  windowSeconds: number;
  serverCpuMicros: number;
  serverCpuPerEditMicros: number;
  /** Of that, kernel time (stime): on loopback the sender pays most of the TCP path. */
  serverSystemCpuPerEditMicros: number;
  /** Write system calls of the server per edit (each edit reaches perDoc − 1 clients). */
  serverWritesPerEdit: number;
  /** PostgreSQL (or other helper) CPU per edit, when the server has helpers. */
  helperCpuPerEditMicros?: number;
  /** Client process CPU over the window, % of one core (a saturated client skews latency). */
  clientCpuPercent: number;
  /** Cores busy with other processes during the window (machine busy − server − helpers − client). */
  otherLoadCores: number;
  latencyP50Ms: number;
  latencyP99Ms: number;
  /** Scale-out runs: latency of deliveries between clients on different nodes. */
  crossNodeP50Ms?: number;
  crossNodeP99Ms?: number;
  /** Scale-out runs: server CPU per edit of each node. */
  nodeCpuPerEditMicros?: number[];
  peakRssKib: number;
  maxSampledRssKib: number;
  /** Relays keep no state: for them only the full clients' contents are checked (see checkConvergence). */
  converged: boolean;
  convergence: string;
}

export async function runWorkload(server: ServerHandle, options: WorkloadOptions): Promise<WorkloadResult> {
  const perDoc = Math.floor(options.clients / options.docs);
  const maxEdits = Math.round(options.rate * options.seconds);
  const intervalMs = 1000 / options.rate;
  const tracker = new DeliveryTracker(options.docs * perDoc * maxEdits * (perDoc - 1));
  const stats: TransportStats = { failures: 0 };
  const clients: BenchClient[] = [];
  for (let doc = 0; doc < options.docs; doc++) {
    for (let j = 0; j < perDoc; j++) {
      const client = new BenchClient({ full: j === 0, docIndex: doc, tracker, maxEdits });
      // Scale-out: the clients of every document alternate between the nodes.
      client.node = j % (server.nodes?.length ?? 1);
      tracker.placeOn(client.doc.clientID, client.node);
      clients.push(client);
    }
  }
  const pids = server.nodes?.map((n) => n.pid) ?? [server.pid];
  const cpuOf = () => pids.map(processCpuMicros);
  const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);

  try {
    await connectAll(server, clients, stats, { concurrency: 50, timeoutMs: 30_000 });
    await sleep(1000);

    let maxSampledRssKib = 0;
    const sampler = setInterval(() => {
      maxSampledRssKib = Math.max(maxSampledRssKib, sum(pids.map((pid) => processMemoryKib(pid).rssKib)));
    }, 250);
    const cpuBefore = cpuOf();
    const systemBefore = sum(pids.map(processSystemMicros));
    const writesBefore = sum(pids.map(processWriteSyscalls));
    const helperBefore = server.helperCpuMicros?.() ?? 0;
    const clientBefore = process.cpuUsage();
    const machineBefore = machineBusyMicros();
    const startedAt = performance.now();

    await editPhase(clients, maxEdits, intervalMs);
    const sent = clients.reduce((sum, c) => sum + c.edits, 0);
    const expectedDeliveries = sent * (perDoc - 1);
    await drain(tracker, expectedDeliveries, 15_000);

    const nodeCpuMicros = cpuOf().map((micros, i) => micros - (cpuBefore[i] ?? 0));
    const serverCpuMicros = sum(nodeCpuMicros);
    const systemMicros = sum(pids.map(processSystemMicros)) - systemBefore;
    const writes = sum(pids.map(processWriteSyscalls)) - writesBefore;
    const helperCpuMicros = (server.helperCpuMicros?.() ?? 0) - helperBefore;
    const windowMs = performance.now() - startedAt;
    const clientCpu = process.cpuUsage(clientBefore);
    const machineMicros = machineBusyMicros() - machineBefore;
    clearInterval(sampler);
    const peakRssKib = sum(pids.map((pid) => processMemoryKib(pid).peakKib));
    tracker.recording = false;

    const { values, count } = tracker.latencySamples();
    const cross = tracker.crossSamples();
    const convergence = await checkConvergence(server, clients, perDoc, stats);
    return {
      edits: sent,
      expectedDeliveries,
      delivered: tracker.delivered,
      echoes: tracker.echoes,
      unmatched: tracker.unmatched,
      failures: stats.failures,
      ...(stats.lastFailure ? { lastFailure: stats.lastFailure } : {}),
      windowSeconds: windowMs / 1000,
      serverCpuMicros,
      serverCpuPerEditMicros: serverCpuMicros / sent,
      serverSystemCpuPerEditMicros: systemMicros / sent,
      serverWritesPerEdit: writes / sent,
      ...(server.helperCpuMicros ? { helperCpuPerEditMicros: helperCpuMicros / sent } : {}),
      clientCpuPercent: ((clientCpu.user + clientCpu.system) / 1000 / windowMs) * 100,
      otherLoadCores:
        Math.max(0, machineMicros - serverCpuMicros - helperCpuMicros - clientCpu.user - clientCpu.system) /
        1000 /
        windowMs,
      latencyP50Ms: percentile(values, count, 50),
      latencyP99Ms: percentile(values, count, 99),
      ...(server.nodes
        ? {
            crossNodeP50Ms: percentile(cross.values, cross.count, 50),
            crossNodeP99Ms: percentile(cross.values, cross.count, 99),
            nodeCpuPerEditMicros: nodeCpuMicros.map((micros) => micros / sent),
          }
        : {}),
      peakRssKib,
      maxSampledRssKib,
      ...convergence,
    };
  } finally {
    for (const client of clients) client.close();
  }
}

/** Every client edits every `intervalMs`, starting at a random offset, `maxEdits` times. */
function editPhase(clients: BenchClient[], maxEdits: number, intervalMs: number): Promise<void> {
  return new Promise((resolve) => {
    let running = clients.length;
    for (const client of clients) {
      setTimeout(() => {
        client.edit();
        const timer = setInterval(() => {
          if (client.edits < maxEdits) client.edit();
          if (client.edits >= maxEdits) {
            clearInterval(timer);
            if (--running === 0) resolve();
          }
        }, intervalMs);
      }, Math.random() * intervalMs);
    }
  });
}

/** Waits until every expected delivery arrived, or until nothing arrived for 3 s. */
async function drain(tracker: DeliveryTracker, expected: number, maxMs: number): Promise<void> {
  const deadline = Date.now() + maxMs;
  let last = -1;
  let lastProgressAt = Date.now();
  await waitFor(
    () => {
      if (tracker.delivered !== last) {
        last = tracker.delivered;
        lastProgressAt = Date.now();
      }
      return tracker.delivered >= expected || Date.now() - lastProgressAt > 3000 || Date.now() > deadline;
    },
    maxMs + 1000,
    5,
  );
}

/**
 * Each document's full client must hold every edit of its document, with nothing pending;
 * where the server keeps state, a fresh client's sync must give exactly the same document.
 */
async function checkConvergence(
  server: ServerHandle,
  clients: BenchClient[],
  perDoc: number,
  stats: TransportStats,
): Promise<{ converged: boolean; convergence: string }> {
  const problems: string[] = [];
  for (let doc = 0; doc * perDoc < clients.length; doc++) {
    const group = clients.slice(doc * perDoc, (doc + 1) * perDoc);
    const full = group[0]!;
    const expectedLength = group.reduce((sum, c) => sum + c.edits, 0) * EDIT_LENGTH;
    if (full.text.length !== expectedLength)
      problems.push(`doc ${doc}: full client has ${full.text.length}/${expectedLength} chars`);
    if (full.doc.store.pendingStructs !== null) problems.push(`doc ${doc}: full client has pending structs`);
    if (!server.stateful) continue;
    const fresh = new BenchClient({ full: true, docIndex: doc });
    try {
      fresh.transport = connect(server, server.docNames[doc]!, fresh, stats);
      await withTimeout(fresh.transport.ready, 15_000, 'fresh client');
      const same =
        Buffer.compare(Y.encodeStateVector(fresh.doc), Y.encodeStateVector(full.doc)) === 0 &&
        fresh.text.toString() === full.text.toString();
      if (!same) problems.push(`doc ${doc}: server state (${fresh.text.length} chars) differs from full client`);
    } catch (err) {
      problems.push(`doc ${doc}: ${(err as Error).message}`);
    } finally {
      fresh.close();
    }
  }
  const how = server.stateful ? 'server state read back by a fresh client' : 'edit count only (stateless relay)';
  return {
    converged: problems.length === 0,
    convergence: problems.length === 0 ? how : problems.slice(0, 3).join('; '),
  };
}
