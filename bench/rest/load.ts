// bench/rest/load — REST under load: autocannon at a fixed rate against five endpoints of one
// Ensemble (a child process, production settings, its own database) and against a bare Express +
// pg server doing the nearest single query on the same database (bench/rest/floor.ts), one after
// the other. A script, not a test:
//
//   node_modules/.bin/node bench/rest/load.ts [--rate 500] [--seconds 10] [--smoke] [--smooth] [--only list,get,put,put-new,put-spread,comment,export] [--no-floor] [--out bench/rest/load-results.json]
//
// --smooth replaces autocannon with an open-loop generator (open-loop.ts): one request every
// 1000 / rate ms, latency from its scheduled start.
//
// --smoke runs 2 s per endpoint at 50 requests/s. Latency percentiles are computed here from every
// response's time (autocannon's `response` event). autocannon meets a rate by sending each
// connection's share of a second as fast as answers come and then waiting for the next second, so
// the server meets bursts of 25 concurrent requests, not a smooth 500/s; its own percentiles add
// coordinated-omission samples at a 1 ms interval (every slow answer counted as dozens), which is
// why they are not used. Beside latency, each run records the server process's CPU per request
// served (utime + stime from /proc/<pid>/stat across the run, divided by the requests): robust when
// the machine is shared, where latency is not.
// --only picks endpoints by key (e.g. to profile one with BENCH_ENSEMBLE_NODE_FLAGS=--cpu-prof).
import { fork } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { processCpuMicros, sleep } from '../realtime/metrics.ts';
import { dropBenchDatabases, ensembleDefinition } from '../realtime/servers/ensemble.ts';
import { freePort } from '../realtime/servers/child.ts';
import { openLoop } from './open-loop.ts';

const { values: args } = parseArgs({
  options: {
    rate: { type: 'string', default: '500' },
    seconds: { type: 'string', default: '10' },
    smoke: { type: 'boolean', default: false },
    only: { type: 'string', default: 'list,get,put,put-new,put-spread,comment,export' },
    'no-floor': { type: 'boolean', default: false },
    smooth: { type: 'boolean', default: false },
    out: { type: 'string', default: 'bench/rest/load-results.json' },
  },
});
const rate = args.smoke ? 50 : Number(args.rate);
const seconds = args.smoke ? 2 : Number(args.seconds);

// The comment rate limit (30 a minute per user) would answer most of a 500/s run with 429.
// Settings given in BENCH_ENSEMBLE_ENV (e.g. DOC_COMMIT_WINDOW_MS) are kept.
process.env.BENCH_ENSEMBLE_ENV = JSON.stringify({
  ...(JSON.parse(process.env.BENCH_ENSEMBLE_ENV ?? '{}') as Record<string, string>),
  COMMENT_RATE_PER_MINUTE: '100000',
});
const ensemble = await ensembleDefinition('ensemble-sio').start(20);
const token = ensemble.token as string;
const auth = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
const api = async (method: string, path: string, body?: unknown) => {
  const res = await fetch(ensemble.baseUrl + path, {
    method,
    headers: auth,
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
  return res.json() as Promise<any>;
};
const dsId = ((await api('GET', '/api/design-systems')).items[0] as { id: string }).id;
const componentId = (ensemble.docNames[0] as string).slice('component:'.length);
for (let i = 0; i < 50; i++)
  await api('POST', `/api/design-systems/${dsId}/tokens`, {
    path: `color.c${i}`,
    $value: `#${(i * 5000).toString(16).padStart(6, '0').slice(0, 6)}`,
    $type: 'color',
  });

const floorPort = await freePort();
const floor = fork(
  new URL('./floor.ts', import.meta.url).pathname,
  [ensemble.databaseUrl as string, String(floorPort)],
  { stdio: 'inherit' },
);
await new Promise<void>((ok) => floor.once('message', () => ok()));
const floorUrl = `http://127.0.0.1:${floorPort}`;

const allEndpoints = [
  { key: 'list', name: 'GET components (list)', method: 'GET', path: `/api/design-systems/${dsId}/components` },
  { key: 'get', name: 'GET component', method: 'GET', path: `/api/design-systems/${dsId}/components/${componentId}` },
  {
    key: 'put',
    name: 'PUT component',
    method: 'PUT',
    path: `/api/design-systems/${dsId}/components/${componentId}`,
    body: { documentation: 'load' },
  },
  {
    // Every request a new text ([<id>] is replaced per request): each PUT is a real write.
    key: 'put-new',
    name: 'PUT component (new text each time)',
    method: 'PUT',
    path: `/api/design-systems/${dsId}/components/${componentId}`,
    body: { documentation: 'load [<id>]' },
  },
  {
    // New texts spread over the 20 components in turn: writes that do not queue on one row.
    key: 'put-spread',
    name: 'PUT 20 components in turn (new text each time)',
    method: 'PUT',
    path: `/api/design-systems/${dsId}/components/${componentId}`,
    paths: ensemble.docNames.map((n) => `/api/design-systems/${dsId}/components/${n.slice('component:'.length)}`),
    body: { documentation: 'load [<id>]' },
  },
  {
    key: 'comment',
    name: 'POST comment',
    method: 'POST',
    path: '/api/comments',
    body: { resourceType: 'component', resourceId: componentId, content: 'under load' },
  },
  {
    key: 'export',
    name: 'GET tokens export (css)',
    method: 'GET',
    path: `/api/design-systems/${dsId}/tokens/export?format=css`,
  },
] as const;
const wanted = new Set((args.only as string).split(','));
const endpoints = allEndpoints.filter((e) => wanted.has(e.key));

interface Row {
  endpoint: string;
  target: 'ensemble' | 'floor';
  requests: number;
  errors: number;
  errorCodes?: Record<string, number>;
  non2xx: number;
  p50: number;
  p90: number;
  p95: number;
  p99: number;
  /** Server process CPU (user + system) per request served, µs. */
  cpuMicrosPerRequest: number;
}

const CONNECTIONS = 25;

/** p50/p90/p95/p99 of response times (ms). */
function percentiles(times: number[]): Pick<Row, 'p50' | 'p90' | 'p95' | 'p99'> {
  const sorted = [...times].sort((x, y) => x - y);
  const at = (q: number) => Math.round(sorted[Math.floor(q * (sorted.length - 1))] ?? 0);
  return { p50: at(0.5), p90: at(0.9), p95: at(0.95), p99: at(0.99) };
}

/** An autocannon setupRequest that sends each request to the next of `paths`. */
function rotate(paths: string[]) {
  let next = 0;
  return (request: autocannon.Request) => {
    request.path = paths[next++ % paths.length] as string;
    return request;
  };
}

async function load(
  url: string,
  pid: number,
  endpoint: (typeof endpoints)[number],
): Promise<Omit<Row, 'endpoint' | 'target'>> {
  const cpuBefore = processCpuMicros(pid);
  const { times, requests, errors, non2xx, errorCodes } = args.smooth
    ? await openLoop(
        url,
        {
          method: endpoint.method,
          paths: 'paths' in endpoint ? endpoint.paths : [endpoint.path],
          headers: auth,
          ...('body' in endpoint ? { body: JSON.stringify(endpoint.body) } : {}),
        },
        rate,
        seconds,
      )
    : await closedLoop(url, endpoint);
  const latency = percentiles(times);
  // Work a handler leaves for after its response (events, notifications) belongs to the request.
  await sleep(500);
  const cpu = processCpuMicros(pid) - cpuBefore;
  return {
    requests,
    errors,
    ...(errors ? { errorCodes } : {}),
    non2xx,
    ...latency,
    cpuMicrosPerRequest: Math.round(cpu / Math.max(1, requests)),
  };
}

/** autocannon at `rate`: each connection sends its share of every second as fast as answers come. */
async function closedLoop(url: string, endpoint: (typeof endpoints)[number]) {
  const times: number[] = [];
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const run = autocannon(
      {
        url: url + endpoint.path,
        method: endpoint.method,
        headers: auth,
        ...('body' in endpoint ? { body: JSON.stringify(endpoint.body), idReplacement: true } : {}),
        ...('paths' in endpoint ? { requests: [{ setupRequest: rotate(endpoint.paths) }] } : {}),
        connections: CONNECTIONS,
        overallRate: rate,
        duration: seconds,
      },
      (err, res) => (err ? reject(err) : resolve(res)),
    );
    run.on('response', (_client, _status, _bytes, ms) => times.push(ms));
  });
  return {
    times,
    requests: result.requests.total,
    errors: result.errors + result.timeouts,
    errorCodes: { errors: result.errors, timeouts: result.timeouts },
    non2xx: result.non2xx,
  };
}

const rows: Row[] = [];
try {
  for (const endpoint of endpoints) {
    const targets: [Row['target'], string, number][] = [['ensemble', ensemble.baseUrl, ensemble.pid]];
    if (!args['no-floor']) targets.push(['floor', floorUrl, floor.pid as number]);
    for (const [target, url, pid] of targets) {
      const row = { endpoint: endpoint.name, target, ...(await load(url, pid, endpoint)) };
      rows.push(row);
      console.log(
        `${endpoint.name} @${rate}/s on ${target}: p50 ${row.p50} ms, p90 ${row.p90}, p95 ${row.p95}, p99 ${row.p99}; ${row.requests} requests, ${row.errors} errors${row.errorCodes ? ` ${JSON.stringify(row.errorCodes)}` : ''}, ${row.non2xx} non-2xx; server CPU ${row.cpuMicrosPerRequest} µs/request`,
      );
    }
  }
} finally {
  floor.kill();
  await ensemble.stop();
  await dropBenchDatabases();
}
console.log(
  `\n| endpoint @ ${rate}/s | Ensemble p50 / p90 / p95 / p99 ms | floor p50 / p95 ms | p95 ratio | errors, non-2xx | server CPU µs/request (Ensemble / floor) |`,
);
console.log('|---|--:|--:|--:|--:|--:|');
for (const endpoint of endpoints) {
  const e = rows.find((r) => r.endpoint === endpoint.name && r.target === 'ensemble') as Row;
  const f = rows.find((r) => r.endpoint === endpoint.name && r.target === 'floor');
  console.log(
    `| ${endpoint.name} | ${e.p50} / ${e.p90} / ${e.p95} / ${e.p99} | ${f ? `${f.p50} / ${f.p95}` : '–'} | ${f ? `${(e.p95 / Math.max(1, f.p95)).toFixed(1)}×` : '–'} | ${e.errors}, ${e.non2xx} | ${e.cpuMicrosPerRequest} / ${f?.cpuMicrosPerRequest ?? '–'} |`,
  );
}
writeFileSync(
  args.out as string,
  JSON.stringify({ writtenAt: new Date().toISOString(), rate, seconds, smooth: args.smooth, rows }, null, 2),
);
