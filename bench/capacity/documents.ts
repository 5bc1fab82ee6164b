// bench/capacity/documents — memory per live document: one Ensemble child process, N components,
// one Socket.IO client subscribing to every one of them (so all N live documents are held at once),
// RSS after a forced GC before and after; then the client leaves and the idle sweep must unload
// them all (live_documents back to 0). A script, not a test:
//
//   node_modules/.bin/node bench/capacity/documents.ts [--docs 5000] [--smoke]
import { parseArgs } from 'node:util';
import { io } from 'socket.io-client';
import { processMemoryKib, sleep } from '../realtime/metrics.ts';
import { BENCH_METRICS_TOKEN, dropBenchDatabases, ensembleDefinition } from '../realtime/servers/ensemble.ts';

const { values: args } = parseArgs({
  options: { docs: { type: 'string', default: '5000' }, smoke: { type: 'boolean', default: false } },
});
const count = args.smoke ? 100 : Number(args.docs);

// Idle documents unload after 1 s; the sweep runs every 30 s.
process.env.BENCH_ENSEMBLE_ENV = JSON.stringify({ DOC_IDLE_UNLOAD_SECONDS: '1' });
const startedAt = performance.now();
const server = await ensembleDefinition('ensemble-sio').start(count);
console.log(`${count} components created in ${((performance.now() - startedAt) / 1000).toFixed(0)} s`);
const metric = async (name: string) => {
  const text = await (
    await fetch(`${server.baseUrl}/metrics`, { headers: { authorization: `Bearer ${BENCH_METRICS_TOKEN}` } })
  ).text();
  return Number(text.match(new RegExp(`^${name} (\\S+)`, 'm'))?.[1] ?? NaN);
};
const liveDocuments = () => metric('live_documents');
/** RSS, and heap used + external (what the documents hold; RSS keeps pages freed earlier), after a full GC. */
const memory = async () => {
  await server.gc();
  await sleep(200);
  return {
    rssMib: processMemoryKib(server.pid).rssKib / 1024,
    heldMib:
      ((await metric('nodejs_heap_size_used_bytes')) + (await metric('nodejs_external_memory_bytes'))) / 1024 / 1024,
  };
};

/** Waits (up to 90 s) for the idle sweep to unload every document; returns how many remain. */
async function untilUnloaded(): Promise<number> {
  const since = performance.now();
  let remaining = await liveDocuments();
  while (remaining > 0 && performance.now() - since < 90_000) {
    await sleep(1000);
    remaining = await liveDocuments();
  }
  return remaining;
}

try {
  // Creating the components opened their documents: start from none held.
  if ((await untilUnloaded()) > 0) throw new Error('documents did not unload before the run');
  const before = await memory();
  const socket = io(server.baseUrl, {
    transports: ['websocket'],
    auth: { token: server.token },
    forceNew: true,
    reconnection: false,
  });
  await new Promise<void>((ok) => socket.once('connect', () => ok()));
  const subscribed = performance.now();
  for (let i = 0; i < server.docNames.length; i += 50) {
    await Promise.all(
      server.docNames.slice(i, i + 50).map(async (docName) => {
        const ack = await socket.timeout(60_000).emitWithAck('doc-subscribe', { docName });
        if (!ack.ok) throw new Error(`doc-subscribe ${docName}: ${JSON.stringify(ack.error)}`);
      }),
    );
  }
  const subscribeMs = performance.now() - subscribed;
  const held = await liveDocuments();
  const loaded = await memory();
  socket.close();
  const left = performance.now();
  const remaining = await untilUnloaded();
  const after = await memory();
  console.log(`subscribed to ${count} documents in ${(subscribeMs / 1000).toFixed(1)} s; live documents ${held}`);
  console.log(
    `heap + external ${before.heldMib.toFixed(0)} → ${loaded.heldMib.toFixed(0)} MiB: ${(((loaded.heldMib - before.heldMib) * 1024) / count).toFixed(1)} KiB per live document (RSS ${before.rssMib.toFixed(0)} → ${loaded.rssMib.toFixed(0)} MiB)`,
  );
  console.log(
    `after the last leave: ${remaining} live documents after ${((performance.now() - left) / 1000).toFixed(0)} s, heap + external ${after.heldMib.toFixed(0)} MiB, RSS ${after.rssMib.toFixed(0)} MiB`,
  );
} finally {
  await server.stop();
  await dropBenchDatabases();
}
