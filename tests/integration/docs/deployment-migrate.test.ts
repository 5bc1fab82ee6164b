// The compose stack starts its migrate step and both web nodes against one database; this runs the
// same processes (`node deploy/migrate.ts`, two `node src/main.ts web`) at once against a fresh,
// empty database: every migration is applied exactly once and every process comes up. The runner
// holds Prisma's advisory lock while it reads and applies, so the others wait, then find nothing to do.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { ensureDatabase, MIGRATIONS_DIR } from '../../../src/models/migrate.ts';
import { databaseUrl, testRedisUrl, testRun } from '../../support/database.ts';
import { freePort, reap, spawnServer, waitReady, type ServerProcess } from '../../support/process.ts';

const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
const NODE = resolve(ROOT, 'node_modules/.bin/node');
const url = databaseUrl(`${testRun()}_deploy_${randomBytes(3).toString('hex')}`);
const migrations = readdirSync(MIGRATIONS_DIR, { withFileTypes: true })
  .filter((e) => e.isDirectory())
  .map((e) => e.name)
  .sort();

/** `node deploy/migrate.ts` with `env`: its exit code and output. */
function migrate(env: Record<string, string>): Promise<{ code: number | null; output: string }> {
  return new Promise((ok) => {
    const child = spawn(NODE, ['deploy/migrate.ts'], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (c: Buffer) => (output += c));
    child.stderr.on('data', (c: Buffer) => (output += c));
    child.once('exit', (code) => ok({ code, output }));
  });
}

const env = (port: number) => ({
  NODE_ENV: 'production',
  PORT: String(port),
  LOG_LEVEL: 'warn',
  DATABASE_URL: url,
  REDIS_URL: testRedisUrl(),
  REDIS_KEY_PREFIX: `${testRun()}:deploy:${port}:`,
  JWT_SECRET: 'a'.repeat(40),
  PASSWORD_HASH_MEMORY_KIB: '1024',
  DATA_DIR: mkdtempSync(join(tmpdir(), 'ensemble-deploy-')),
});

let nodes: ServerProcess[] = [];
beforeAll(() => ensureDatabase(url));
afterAll(async () => {
  await Promise.all(nodes.map(reap));
  const admin = new pg.Client({ connectionString: databaseUrl('postgres') });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS "${new URL(url).pathname.slice(1)}" WITH (FORCE)`);
  await admin.end();
});

describe('migrating at deployment', () => {
  it('applies each migration once when the migrate step and two web nodes start together', async () => {
    const ports = await Promise.all([freePort(), freePort()]);
    const step = migrate(env(0));
    nodes = ports.map((port) => spawnServer(env(port), 'web'));
    const [result] = await Promise.all([step, ...nodes.map((n) => waitReady(n))]);
    expect(result?.code).toBe(0);
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      const { rows } = await client.query<{ migration_name: string; finished: boolean }>(
        'SELECT migration_name, finished_at IS NOT NULL AND rolled_back_at IS NULL AS finished FROM "_prisma_migrations" ORDER BY migration_name',
      );
      expect(rows.map((r) => r.migration_name)).toEqual(migrations);
      expect(rows.every((r) => r.finished)).toBe(true);
    } finally {
      await client.end();
    }
    for (const node of nodes) expect(node.output()).not.toMatch(/already exists|duplicate key|failed earlier/);
  }, 180_000);

  it('finds nothing to do the second time, and says what is missing without DATABASE_URL', async () => {
    expect(await migrate(env(0))).toEqual({ code: 0, output: 'database is up to date\n' });
    const { DATABASE_URL: _, ...rest } = env(0);
    const missing = await migrate(rest);
    expect(missing.code).toBe(1);
    expect(missing.output).toMatch(/DATABASE_URL: required/);
  });
});
