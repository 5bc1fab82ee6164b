// bench/rest/tracing — what tracing costs a REST request. Starts Ensemble side by side: tracing off,
// tracing on (exporting to a local OTLP/HTTP receiver in this process), on with 10% of traces sampled,
// and with --before the same server from another checkout (e.g. the commit before tracing). Then it
// alternates autocannon runs between them, round after round, and reports each server's CPU time per
// request (from /proc: robust on a busy machine, unlike latency) and its latency. A script, not a test:
//
//   node_modules/.bin/node bench/rest/tracing.ts [--rounds 6] [--seconds 5] [--connections 10] [--before <checkout>]
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { dropBenchDatabases, ensembleDefinition } from '../realtime/servers/ensemble.ts';

const { values: args } = parseArgs({
  options: {
    rounds: { type: 'string', default: '6' },
    seconds: { type: 'string', default: '5' },
    connections: { type: 'string', default: '10' },
    before: { type: 'string' },
  },
});

// The receiver: counts what it is sent, like a collector that keeps up.
let exported = 0;
const receiver = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as {
      resourceSpans?: { scopeSpans?: { spans?: unknown[] }[] }[];
    };
    for (const rs of body.resourceSpans ?? []) for (const ss of rs.scopeSpans ?? []) exported += ss.spans?.length ?? 0;
    res.writeHead(200, { 'Content-Type': 'application/json' }).end('{}');
  });
});
await new Promise<void>((ok) => receiver.listen(0, '127.0.0.1', ok));
const endpoint = `http://127.0.0.1:${(receiver.address() as { port: number }).port}`;

type Start = typeof ensembleDefinition;
const start = async (define: Start, env: Record<string, string>) => {
  process.env.BENCH_ENSEMBLE_ENV = JSON.stringify(env);
  return define('ensemble-sio').start(5);
};
const modes: { name: string; server: Awaited<ReturnType<typeof start>> }[] = [];
if (args.before) {
  const other = (await import(pathToFileURL(join(args.before, 'bench/realtime/servers/ensemble.ts')).href)) as {
    ensembleDefinition: Start;
  };
  modes.push({ name: 'before', server: await start(other.ensembleDefinition, {}) });
}
modes.push({ name: 'off', server: await start(ensembleDefinition, {}) });
modes.push({ name: 'on', server: await start(ensembleDefinition, { OTEL_EXPORTER_OTLP_ENDPOINT: endpoint }) });
modes.push({
  name: 'on, 10% sampled',
  server: await start(ensembleDefinition, { OTEL_EXPORTER_OTLP_ENDPOINT: endpoint, OTEL_TRACES_SAMPLER_ARG: '0.1' }),
});

/** User + system CPU of a process, in ms (clock ticks of 10 ms). */
const cpuMs = (pid: number): number => {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
  return (Number(fields[11]) + Number(fields[12])) * 10;
};

interface Sample {
  requests: number;
  cpu: number;
  p50: number;
  p99: number;
}
const samples = new Map<string, Sample[]>();
const routes = new Map<string, { component: string; list: string }>();
for (const { server } of modes) {
  const res = await fetch(`${server.baseUrl}/api/design-systems`, {
    headers: { authorization: `Bearer ${server.token}` },
  });
  const dsId = ((await res.json()) as { items: { id: string }[] }).items[0]?.id as string;
  const componentId = (server.docNames[0] as string).slice('component:'.length);
  const base = `/api/design-systems/${dsId}/components`;
  routes.set(server.baseUrl, { component: `${base}/${componentId}`, list: base });
}
const paths = (s: (typeof modes)[number]['server']) => routes.get(s.baseUrl) as { component: string; list: string };

async function measure(mode: (typeof modes)[number], endpointName: 'component' | 'list'): Promise<void> {
  const { server } = mode;
  const before = cpuMs(server.pid);
  const result = await autocannon({
    url: server.baseUrl + paths(server)[endpointName],
    headers: { authorization: `Bearer ${server.token}` },
    connections: Number(args.connections),
    duration: Number(args.seconds),
  });
  if (result.non2xx || result.errors)
    throw new Error(`${mode.name} ${endpointName}: ${result.non2xx} non-2xx, ${result.errors} errors`);
  const key = `${endpointName} ${mode.name}`;
  const list = samples.get(key) ?? [];
  list.push({
    requests: result.requests.total,
    cpu: cpuMs(server.pid) - before,
    p50: result.latency.p50,
    p99: result.latency.p99,
  });
  samples.set(key, list);
}

try {
  // Warm-up (JIT, pools), not counted.
  for (const mode of modes)
    await autocannon({
      url: mode.server.baseUrl + paths(mode.server).component,
      headers: { authorization: `Bearer ${mode.server.token}` },
      connections: 5,
      duration: 2,
    });
  samples.clear();
  for (let round = 0; round < Number(args.rounds); round++) {
    // Alternate the order so no mode always runs first after a pause.
    const order = round % 2 ? [...modes].reverse() : modes;
    for (const endpointName of ['component', 'list'] as const)
      for (const mode of order) await measure(mode, endpointName);
    console.log(`round ${round + 1} done`);
  }
} finally {
  for (const mode of modes) await mode.server.stop();
  await dropBenchDatabases();
  receiver.close();
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;
console.log(`\n${exported} spans exported by the traced servers\n`);
console.log('| endpoint | tracing | CPU µs / request (median of rounds) | requests/s | p50 ms | p99 ms |');
console.log('|---|---|--:|--:|--:|--:|');
for (const endpointName of ['component', 'list']) {
  for (const mode of modes) {
    const list = samples.get(`${endpointName} ${mode.name}`) ?? [];
    const cpuPer = median(list.map((s) => (s.cpu * 1000) / s.requests));
    const rps = median(list.map((s) => s.requests / Number(args.seconds)));
    const [p50, p99] = [median(list.map((s) => s.p50)), median(list.map((s) => s.p99))];
    console.log(`| GET ${endpointName} | ${mode.name} | ${cpuPer.toFixed(0)} | ${rps.toFixed(0)} | ${p50} | ${p99} |`);
  }
}
