// bench/tokens — token import and export over REST against Ensemble as a child process (production
// settings, its own database): for 1k / 10k / 50k generated tokens (bench/tokens/generate.ts: a
// palette, chained aliases, composites, nested groups), the time of POST …/tokens/import and of
// GET …/tokens/export?format=css|js, the server's peak RSS during each (VmHWM, reset before each
// step through /proc/<pid>/clear_refs), and the worst /health delay, asked every 10 ms meanwhile.
// A script, not a test:
//
//   node_modules/.bin/node bench/tokens/run.ts [--smoke] [--sizes 1000,10000,50000] [--body json|multipart] [--out bench/tokens/results.json]
//
// --smoke runs 500 and 2,000 tokens and writes nothing unless --out is given.
import { readFileSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { sleep } from '../realtime/metrics.ts';
import { dropBenchDatabases, ensembleDefinition } from '../realtime/servers/ensemble.ts';
import { killAllServers } from '../realtime/servers/child.ts';
import { generateTokenFile } from './generate.ts';
import { peakRssMib, resetPeak } from './memory.ts';
import { watchHealth } from './health.ts';

const { values: args } = parseArgs({
  options: {
    smoke: { type: 'boolean', default: false },
    sizes: { type: 'string' },
    body: { type: 'string', default: 'json' },
    out: { type: 'string' },
  },
});
const sizes = (args.sizes ?? (args.smoke ? '500,2000' : '1000,10000,50000')).split(',').map(Number);
const out = args.out ?? (args.smoke ? undefined : 'bench/tokens/results.json');

// 50k tokens are ~7.5 MB of JSON: above the default 10 MB once escaped into a JSON body.
process.env.BENCH_ENSEMBLE_ENV = JSON.stringify({
  TOKEN_IMPORT_MAX_BYTES: String(32 * 1024 * 1024),
  ...JSON.parse(process.env.BENCH_ENSEMBLE_ENV ?? '{}'),
});
process.on('SIGINT', () => {
  killAllServers();
  void dropBenchDatabases().finally(() => process.exit(130));
});

const ensemble = await ensembleDefinition('ensemble-sio').start(0);
const pid = ensemble.pid;
const auth = { authorization: `Bearer ${ensemble.token as string}` };

async function call(
  method: string,
  path: string,
  body?: BodyInit,
  type?: string,
): Promise<{ status: number; text: string }> {
  const res = await fetch(ensemble.baseUrl + path, {
    method,
    headers: { ...auth, ...(type ? { 'content-type': type } : {}) },
    ...(body ? { body } : {}),
  });
  return { status: res.status, text: await res.text() };
}

const teamId = (JSON.parse((await call('GET', '/api/teams')).text) as { items: { id: string }[] }).items[0]!.id;

interface Step {
  tokens: number;
  step: string;
  bytes: number;
  ms: number;
  peakRssMib: number;
  worstHealthMs: number;
  status: number;
}

/** Runs one request while /health is asked every 10 ms; the server's peak RSS is reset first. */
async function measure(
  tokens: number,
  step: string,
  bytes: number,
  run: () => Promise<{ status: number; text: string }>,
): Promise<Step> {
  await sleep(300); // let the previous step's garbage settle
  resetPeak(pid);
  const health = watchHealth(ensemble.baseUrl, 10);
  const started = performance.now();
  const res = await run();
  const ms = performance.now() - started;
  const worstHealthMs = await health.stop();
  if (res.status >= 300) throw new Error(`${step} of ${tokens} tokens: ${res.status} ${res.text.slice(0, 500)}`);
  const row = {
    tokens,
    step,
    bytes: bytes || res.text.length,
    ms: Math.round(ms),
    peakRssMib: peakRssMib(pid),
    worstHealthMs: Math.round(worstHealthMs),
    status: res.status,
  };
  console.log(JSON.stringify(row));
  return row;
}

const rows: Step[] = [];
try {
  // A warm-up import, so that the first size does not pay for module loading and worker start (of
  // another size: exports are cached by content, and an identical file would make them hits).
  for (const [i, tokens] of [Math.max(100, Math.round(sizes[0]! / 3)), ...sizes].entries()) {
    const create = await call(
      'POST',
      '/api/design-systems',
      JSON.stringify({ teamId, name: `Tokens ${tokens} ${i}` }),
      'application/json',
    );
    const dsId = (JSON.parse(create.text) as { id: string }).id;
    const content = generateTokenFile(tokens);
    const base = `/api/design-systems/${dsId}/tokens`;
    let body: BodyInit;
    let type: string | undefined;
    if (args.body === 'multipart') {
      const form = new FormData();
      form.append('files', new Blob([content], { type: 'application/json' }), 'tokens.json');
      body = form;
    } else {
      body = JSON.stringify({ files: [{ path: 'tokens.json', content }] });
      type = 'application/json';
    }
    const steps = [
      await measure(tokens, `import (${args.body})`, content.length, () => call('POST', `${base}/import`, body, type)),
      await measure(tokens, 'export css', 0, () => call('GET', `${base}/export?format=css`)),
      await measure(tokens, 'export js', 0, () => call('GET', `${base}/export?format=js`)),
    ];
    if (i > 0) rows.push(...steps);
  }
} finally {
  await ensemble.stop();
}

const cores = readFileSync('/proc/cpuinfo', 'utf8')
  .split('\n')
  .filter((l) => l.startsWith('processor')).length;
console.log(
  '\n| tokens | step | bytes | time (ms) | peak RSS (MiB) | worst /health (ms) |\n|---:|---|---:|---:|---:|---:|',
);
for (const r of rows)
  console.log(
    `| ${r.tokens.toLocaleString('en')} | ${r.step} | ${r.bytes.toLocaleString('en')} | ${r.ms} | ${r.peakRssMib} | ${r.worstHealthMs} |`,
  );
if (out)
  writeFileSync(
    out,
    `${JSON.stringify({ at: new Date().toISOString(), node: process.version, cores, body: args.body, rows }, null, 2)}\n`,
  );
