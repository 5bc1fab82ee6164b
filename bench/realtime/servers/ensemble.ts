// Ensemble itself (`node src/main.ts web`), driven as documented for the benchmark:
// a throwaway database `ensemble_bench_<random>` on the local PostgreSQL (migrations apply on
// start; dropped on stop), one registered user whose token every client uses, 20 components
// made over REST, documents `component:<id>` and edits in the Y.Text `code`.
// Two protocols over the same server: y-websocket at /yjs/<doc>?token=…, and Socket.IO
// doc-subscribe / doc-update. PostgreSQL backends serving this database are not the server
// process, so their CPU is reported separately (helperCpuMicros).
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { processCpuMicros, sleep } from '../metrics.ts';
import { freePort, repoRoot, spawnServer } from './child.ts';
import type { Protocol, ServerDefinition, ServerHandle } from './types.ts';

const ADMIN_URL = process.env.BENCH_PG_ADMIN_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';
const databases = new Set<string>();

/** True when the realtime layer exists in this checkout (it is being built alongside). */
export function ensembleAvailable(): boolean {
  const dir = join(repoRoot, 'src/websocket');
  return existsSync(dir) && readdirSync(dir).some((f) => f.endsWith('.ts'));
}

/**
 * The checkout whose `src/main.ts` runs: this one, or BENCH_ENSEMBLE_ROOT (another commit checked
 * out beside it, e.g. `git worktree add /tmp/before <rev>` with node_modules linked and its Prisma
 * client generated) to compare two versions under the same harness.
 */
const ensembleRoot = process.env.BENCH_ENSEMBLE_ROOT ?? repoRoot;

function ensembleVersion(): string {
  const pkg = JSON.parse(readFileSync(join(ensembleRoot, 'package.json'), 'utf8')) as { version: string };
  let rev = '';
  try {
    rev = ` (${execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: ensembleRoot }).toString().trim()})`;
  } catch {
    // not a git checkout
  }
  return `ensemble ${pkg.version}${rev}`;
}

async function admin(sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: ADMIN_URL });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/** Drops every database this harness created and has not dropped yet (also on Ctrl-C). */
export async function dropBenchDatabases(): Promise<void> {
  for (const name of databases) {
    await admin(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`).catch(() => {});
    databases.delete(name);
  }
}

/** CPU of the PostgreSQL backends connected to `database` (their cmdline names it). */
function backendCpuMicros(database: string): number {
  let total = 0;
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const cmdline = readFileSync(`/proc/${entry}/cmdline`, 'utf8');
      if (cmdline.startsWith('postgres:') && cmdline.includes(` ${database} `))
        total += processCpuMicros(Number(entry));
    } catch {
      // the process ended between readdir and read
    }
  }
  return total;
}

async function api<T>(baseUrl: string, path: string, body: object, token?: string): Promise<T> {
  const res = await fetch(baseUrl + path, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`POST ${path}: ${res.status} ${text.slice(0, 300)}`);
  return JSON.parse(text) as T;
}

async function waitReady(baseUrl: string, output: () => string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const ok = await fetch(`${baseUrl}/ready`).then(
      (r) => r.status === 200,
      () => false,
    );
    if (ok) return;
    await sleep(200);
  }
  throw new Error(`Ensemble not ready after ${timeoutMs} ms: ${output().slice(-1500)}`);
}

/** How Ensemble is run: one process (the default), or `nodes` web nodes sharing Redis and the database. */
export interface EnsembleLayout {
  nodes?: number;
  /** Use Redis (the adapter, presence, locks) even with one node; always on with more than one. */
  redis?: boolean;
}

async function startEnsemble(id: EnsembleId, docCount: number, layout: EnsembleLayout = {}): Promise<ServerHandle> {
  const nodeCount = layout.nodes ?? 1;
  const database = `ensemble_bench_${randomBytes(6).toString('hex')}`;
  await admin(`CREATE DATABASE "${database}"`);
  databases.add(database);
  const dataDir = mkdtempSync(join(tmpdir(), 'ensemble-bench-'));
  const ports: number[] = [];
  for (let i = 0; i < nodeCount; i++) ports.push(await freePort());
  const baseUrl = `http://127.0.0.1:${ports[0]}`;
  // The launch flags of `npm start` and the Dockerfile, plus any given for profiling
  // (e.g. BENCH_ENSEMBLE_NODE_FLAGS=--trace-gc).
  const extra = (process.env.BENCH_ENSEMBLE_NODE_FLAGS ?? '').split(' ').filter(Boolean);
  const redis: Record<string, string> =
    nodeCount > 1 || layout.redis
      ? { REDIS_URL: process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379', REDIS_KEY_PREFIX: `${database}:` }
      : {};
  const shared: Record<string, string> = {
    NODE_ENV: 'production',
    DATABASE_URL: `postgresql://postgres@127.0.0.1:5432/${database}`,
    HOST: '127.0.0.1',
    LOG_LEVEL: 'warn',
    JWT_SECRET: randomBytes(32).toString('hex'),
    ACCESS_TOKEN_TTL_SECONDS: '3600',
    PASSWORD_HASH_MEMORY_KIB: '1024',
    DATA_DIR: dataDir,
    MAX_CONNECTIONS_PER_USER: '5000',
    SOCKET_RATE_LIMIT_PER_SECOND: '10000',
    // /metrics is closed in production without a token; the soak script reads it.
    METRICS_TOKEN: BENCH_METRICS_TOKEN,
    // BENCH_SOCKET_DIRECT_FRAMES=false measures the public Socket.IO/ws path (docs/benchmarks.md).
    SOCKET_DIRECT_FRAMES: process.env.BENCH_SOCKET_DIRECT_FRAMES ?? 'true',
    ...redis,
    // Extra settings for a benchmark (e.g. bench/rest/load.ts lifts the comment rate), as JSON.
    ...(JSON.parse(process.env.BENCH_ENSEMBLE_ENV ?? '{}') as Record<string, string>),
  };
  const spawnNode = (port: number) =>
    spawnServer(
      ['--max-semi-space-size=16', ...extra, 'src/main.ts', 'web'],
      { ...shared, PORT: String(port), PUBLIC_URL: `http://127.0.0.1:${port}` },
      ensembleRoot,
    );
  const children = [spawnNode(ports[0] as number)];
  const child = children[0] as (typeof children)[number];
  const stop = async (): Promise<void> => {
    await Promise.all(children.map((c) => c.stop()));
    await admin(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`).catch(() => {});
    databases.delete(database);
    rmSync(dataDir, { recursive: true, force: true });
  };

  try {
    await waitReady(baseUrl, child.output, 90_000);
    // The others start once the first has migrated the database.
    for (const port of ports.slice(1)) {
      const node = spawnNode(port);
      children.push(node);
      await waitReady(`http://127.0.0.1:${port}`, node.output, 90_000);
    }
    const { accessToken } = await api<{ accessToken: string }>(baseUrl, '/api/auth/register', {
      email: `bench-${randomBytes(4).toString('hex')}@example.com`,
      password: randomBytes(12).toString('hex'),
      name: 'Bench',
    });
    const team = await api<{ id: string }>(baseUrl, '/api/teams', { name: 'Bench' }, accessToken);
    const ds = await api<{ id: string }>(
      baseUrl,
      '/api/design-systems',
      { teamId: team.id, name: 'Bench' },
      accessToken,
    );
    const docNames: string[] = [];
    for (let i = 0; i < docCount; i++) {
      const component = await api<{ id: string }>(
        baseUrl,
        `/api/design-systems/${ds.id}/components`,
        { name: `C${i}`, category: 'bench', code: '' },
        accessToken,
      );
      docNames.push(`component:${component.id}`);
    }
    const wsUrlOf = (port: number) => (docName: string) =>
      `ws://127.0.0.1:${port}/yjs/${docName}?token=${encodeURIComponent(accessToken)}`;
    return {
      id,
      pid: child.pid,
      ...(nodeCount > 1
        ? {
            nodes: children.map((c, i) => ({
              pid: c.pid,
              baseUrl: `http://127.0.0.1:${ports[i]}`,
              wsUrl: wsUrlOf(ports[i] as number),
            })),
          }
        : {}),
      protocol: PROTOCOLS[id],
      baseUrl,
      docNames,
      wsUrl: wsUrlOf(ports[0] as number),
      token: accessToken,
      stateful: true,
      gc: child.gc,
      stop,
      helperCpuMicros: () => backendCpuMicros(database),
      databaseUrl: `postgresql://postgres@127.0.0.1:5432/${database}`,
    };
  } catch (err) {
    await stop();
    throw err;
  }
}

/** The bearer token of the bench servers' /metrics. */
export const BENCH_METRICS_TOKEN = 'bench-metrics-token-0123456789';

export type EnsembleId = 'ensemble-yws' | 'ensemble-sio' | 'ensemble-sio-bin';

const PROTOCOLS: Record<EnsembleId, Protocol> = {
  'ensemble-yws': 'y-websocket',
  'ensemble-sio': 'ensemble-sio',
  'ensemble-sio-bin': 'ensemble-sio-binary',
};
const LABELS: Record<EnsembleId, string> = {
  'ensemble-yws': 'Ensemble y-websocket',
  'ensemble-sio': 'Ensemble Socket.IO (base64)',
  'ensemble-sio-bin': 'Ensemble Socket.IO (binary)',
};

export function ensembleDefinition(id: EnsembleId, layout: EnsembleLayout = {}): ServerDefinition {
  const nodes = layout.nodes ?? 1;
  const where = nodes > 1 ? `, ${nodes} nodes + Redis` : layout.redis ? ', 1 node + Redis' : '';
  return {
    id,
    label: `${LABELS[id]}${where}`,
    version: ensembleVersion(),
    start: (docCount) => startEnsemble(id, docCount, layout),
  };
}
