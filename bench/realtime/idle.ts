// Idle memory: server RSS with `count` synced, silent connections spread over the documents,
// minus its RSS with none, per connection. Both samples follow a forced full GC in the server
// (gc-hook.ts), so they compare retained memory rather than GC timing; the RSS before that GC
// is kept as `rawPerConnectionKib`.
import { BenchClient } from './clients/bench-client.ts';
import { connectAll } from './clients/pool.ts';
import type { TransportStats } from './clients/transport.ts';
import { median, processMemoryKib, sleep } from './metrics.ts';
import type { ServerHandle } from './servers/types.ts';

export interface IdleResult {
  connections: number;
  baselineRssKib: number;
  loadedRssKib: number;
  perConnectionKib: number;
  rawPerConnectionKib: number;
  failures: number;
}

async function settledRss(server: ServerHandle): Promise<{ raw: number; afterGc: number }> {
  const raw = processMemoryKib(server.pid).rssKib;
  await server.gc();
  await sleep(200);
  const samples: number[] = [];
  for (let i = 0; i < 3; i++) {
    samples.push(processMemoryKib(server.pid).rssKib);
    await sleep(100);
  }
  return { raw, afterGc: median(samples) };
}

export async function runIdle(server: ServerHandle, count: number, docs: number): Promise<IdleResult> {
  await sleep(1000);
  const before = await settledRss(server);
  const stats: TransportStats = { failures: 0 };
  const clients = Array.from({ length: count }, (_, i) => new BenchClient({ full: false, docIndex: i % docs }));
  try {
    await connectAll(server, clients, stats, { concurrency: 100, timeoutMs: 60_000 });
    await sleep(2000);
    const after = await settledRss(server);
    return {
      connections: count,
      baselineRssKib: before.afterGc,
      loadedRssKib: after.afterGc,
      perConnectionKib: (after.afterGc - before.afterGc) / count,
      rawPerConnectionKib: (after.raw - before.raw) / count,
      failures: stats.failures,
    };
  } finally {
    for (const client of clients) client.close();
  }
}
