// bench/rest/merge — the worst event-loop delay a REST write of a component's code causes at the
// largest field size (500,000 characters), per kind of edit. A script, not a test.
//
//   node_modules/.bin/node bench/rest/merge.ts [--repeats 5] [--out bench/rest/results.json]
//
// One Ensemble runs in this process (single node, a throwaway database on the local PostgreSQL at
// BENCH_PG_ADMIN_URL, default postgresql://postgres@127.0.0.1:5432/postgres). For each scenario a
// component is created with 500,000 characters of code, optionally edited live (so the REST
// write's base differs from the live text and the merge maps positions), then PUT over HTTP with
// the scenario's new code. `monitorEventLoopDelay` (1 ms resolution) runs only around each PUT;
// its max is the longest the event loop was blocked while the write was handled. Every result is
// checked: the stored code must equal the expected merge.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { pino } from 'pino';
import { loadConfig } from '../../src/config/config.ts';
import { startEnsemble } from '../../src/server.ts';

const { values: args } = parseArgs({
  options: { repeats: { type: 'string', default: '5' }, out: { type: 'string', default: 'bench/rest/results.json' } },
});
const repeats = Number(args.repeats);
const ADMIN_URL = process.env.BENCH_PG_ADMIN_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';
const SIZE = 500_000;

/** Deterministic text of code-like lines. */
function code(seed: number): string {
  let x = seed;
  const lines: string[] = [];
  let length = 0;
  while (length < SIZE) {
    x = (x * 1103515245 + 12345) % 2 ** 31;
    const line = `  const v${x % 10_000} = call${x % 97}(${x % 13}, "${x.toString(36)}");`;
    lines.push(line);
    length += line.length + 1;
  }
  return lines.join('\n').slice(0, SIZE);
}

interface Scenario {
  name: string;
  next: (base: string) => string;
  /** A live edit made after the REST client read the base: [position, text]. */
  live?: [number, string];
}

const scenarios: Scenario[] = [
  { name: 'replace 4,000 characters', next: (b) => `${b.slice(0, 200_000)}${'x'.repeat(4000)}${b.slice(204_000)}` },
  { name: 'replace 8,000 characters', next: (b) => `${b.slice(0, 200_000)}${'y'.repeat(8000)}${b.slice(208_000)}` },
  { name: '≈ 5,000 scattered one-character edits', next: (b) => b.replace(/v1/g, 'V1') },
  { name: 'whole text replaced by an unrelated one', next: () => code(99) },
  {
    name: 'replace 8,000 characters while the live text moved',
    next: (b) => `${b.slice(0, 200_000)}${'z'.repeat(8000)}${b.slice(208_000)}`,
    live: [100_000, 'LIVE EDIT;'],
  },
];

const dbName = `ensemble_bench_rest_${randomBytes(4).toString('hex')}`;
const adminClient = new pg.Client({ connectionString: ADMIN_URL });
await adminClient.connect();
await adminClient.query(`CREATE DATABASE "${dbName}"`);
const dbUrl = new URL(ADMIN_URL);
dbUrl.pathname = `/${dbName}`;
const ensemble = await startEnsemble(
  loadConfig({
    NODE_ENV: 'production',
    HOST: '127.0.0.1',
    PORT: '0',
    LOG_LEVEL: 'silent',
    DATABASE_URL: dbUrl.toString(),
    JWT_SECRET: randomBytes(32).toString('hex'),
    PASSWORD_HASH_MEMORY_KIB: '1024',
    BODY_LIMIT_BYTES: String(4 * 1024 * 1024),
    DATA_DIR: mkdtempSync(join(tmpdir(), 'ensemble-bench-rest-')),
  }),
  pino({ level: 'silent' }),
);
const request = async (method: string, path: string, body: unknown, token?: string) => {
  const res = await fetch(ensemble.url + path, {
    method,
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  });
  const json = (await res.json()) as Record<string, unknown>;
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(json).slice(0, 300)}`);
  return json;
};

const results: { scenario: string; worstLoopDelayMs: number; medianLoopDelayMs: number; medianRequestMs: number }[] =
  [];
try {
  const session = await request('POST', '/api/auth/register', {
    email: `bench-${randomBytes(4).toString('hex')}@example.test`,
    password: 'a long bench passphrase',
    name: 'Bench',
  });
  const token = session.accessToken as string;
  const team = await request('POST', '/api/teams', { name: 'Bench team' }, token);
  const ds = await request('POST', '/api/design-systems', { teamId: team.id, name: 'Bench DS' }, token);
  const base = code(1);
  for (const scenario of scenarios) {
    const delays: number[] = [];
    const times: number[] = [];
    for (let r = 0; r < repeats; r++) {
      const component = await request(
        'POST',
        `/api/design-systems/${ds.id}/components`,
        { name: `C${randomBytes(4).toString('hex')}`, category: 'bench', code: base },
        token,
      );
      let expected = scenario.next(base);
      if (scenario.live) {
        const [at, text] = scenario.live;
        await ensemble.services.documents.transact(
          `component:${component.id as string}`,
          null,
          (doc) => doc.getText('code').insert(at, text),
          'system',
        );
        expected = `${expected.slice(0, at)}${text}${expected.slice(at)}`;
      }
      const histogram = monitorEventLoopDelay({ resolution: 1 });
      histogram.enable();
      const started = performance.now();
      const updated = await request(
        'PUT',
        `/api/design-systems/${ds.id}/components/${component.id as string}`,
        { code: scenario.next(base), version: component.version },
        token,
      );
      times.push(performance.now() - started);
      histogram.disable();
      delays.push(histogram.max / 1e6);
      if (updated.code !== expected) throw new Error(`${scenario.name}: the merged code is not the expected one`);
    }
    const sorted = (xs: number[]) => [...xs].sort((x, y) => x - y);
    const median = (xs: number[]) => sorted(xs)[Math.floor(xs.length / 2)] as number;
    results.push({
      scenario: scenario.name,
      worstLoopDelayMs: Math.max(...delays),
      medianLoopDelayMs: median(delays),
      medianRequestMs: median(times),
    });
    console.log(
      `${scenario.name}: worst loop delay ${Math.max(...delays).toFixed(1)} ms, median ${median(delays).toFixed(1)} ms, median request ${median(times).toFixed(0)} ms`,
    );
  }
  writeFileSync(
    args.out as string,
    `${JSON.stringify({ date: new Date().toISOString(), size: SIZE, repeats, results }, null, 2)}\n`,
  );
  console.log(
    '\n| edit (500,000-character code) | worst event-loop delay | median delay | median request |\n|---|--:|--:|--:|',
  );
  for (const r of results)
    console.log(
      `| ${r.scenario} | ${r.worstLoopDelayMs.toFixed(1)} ms | ${r.medianLoopDelayMs.toFixed(1)} ms | ${r.medianRequestMs.toFixed(0)} ms |`,
    );
} finally {
  await ensemble.close();
  await adminClient.query(`DROP DATABASE IF EXISTS "${dbName}" WITH (FORCE)`);
  await adminClient.end();
}
