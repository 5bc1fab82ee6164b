import { execFile } from 'node:child_process';
import { mkdtemp, mkdir, writeFile, cp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import pg from 'pg';
import { applyMigrations, ensureDatabase, MIGRATIONS_DIR } from '../../../src/models/migrate.ts';
import { databaseUrl, testRun } from '../../support/database.ts';

const url = () => databaseUrl(`${testRun()}_migrate_${process.env.JEST_WORKER_ID}`);
let client: pg.Client;

beforeAll(async () => {
  await ensureDatabase(url());
  client = new pg.Client({ connectionString: url() });
  await client.connect();
});
afterAll(() => client.end());

describe('applyMigrations', () => {
  it("applies every migration once and records them in Prisma's table", async () => {
    const first = await applyMigrations(url());
    expect(first.length).toBeGreaterThan(0);
    expect(await applyMigrations(url())).toEqual([]);
    const { rows } = await client.query(
      'SELECT migration_name, checksum, finished_at, applied_steps_count FROM "_prisma_migrations" ORDER BY migration_name',
    );
    expect(rows.map((r) => r.migration_name)).toEqual(first);
    for (const row of rows) {
      expect(row.checksum).toMatch(/^[0-9a-f]{64}$/);
      expect(row.finished_at).not.toBeNull();
      expect(row.applied_steps_count).toBe(1);
    }
    const tables = await client.query(`SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'`);
    const names = tables.rows.map((r) => r.table_name);
    for (const table of [
      'users',
      'teams',
      'team_members',
      'design_systems',
      'components',
      'design_tokens',
      'comments',
      'reactions',
      'user_presence',
      'activity_log',
      'component_versions',
      'refresh_tokens',
      'api_keys',
      'design_system_versions',
      'documents',
      'document_updates',
      'notifications',
      'jobs',
      'webhooks',
      'webhook_deliveries',
      'assets',
    ]) {
      expect(names).toContain(table);
    }
  });

  it('refuses a migration edited after it was applied', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ensemble-migrations-'));
    await cp(MIGRATIONS_DIR, dir, { recursive: true });
    const { rows } = await client.query('SELECT migration_name FROM "_prisma_migrations" LIMIT 1');
    await writeFile(join(dir, rows[0].migration_name, 'migration.sql'), '-- edited\nSELECT 1;');
    await expect(applyMigrations(url(), dir)).rejects.toThrow(/edited after it was applied/);
  });

  it('rolls back a failing migration and records its log', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ensemble-migrations-'));
    await cp(MIGRATIONS_DIR, dir, { recursive: true });
    await mkdir(join(dir, '29991231000000_broken'));
    await writeFile(
      join(dir, '29991231000000_broken', 'migration.sql'),
      'CREATE TABLE half_done (id int);\nSELECT * FROM no_such_table;',
    );
    await expect(applyMigrations(url(), dir)).rejects.toThrow(/no_such_table/);
    const half = await client.query(`SELECT to_regclass('public.half_done') AS t`);
    expect(half.rows[0].t).toBeNull();
    const log = await client.query(
      `SELECT logs, finished_at FROM "_prisma_migrations" WHERE migration_name = '29991231000000_broken'`,
    );
    expect(log.rows[0]).toMatchObject({ finished_at: null });
    expect(log.rows[0].logs).toContain('no_such_table');
  });
});

describe('scripts/migration.mjs check', () => {
  it('confirms migrations/ matches prisma/schema.prisma (Prisma schema engine, offline)', async () => {
    const admin = process.env.ENSEMBLE_TEST_PG_ADMIN as string;
    const { stdout } = await promisify(execFile)(process.execPath, ['scripts/migration.mjs', 'check'], {
      env: { ...process.env, SHADOW_DATABASE_URL: admin, NODE_OPTIONS: '' },
    });
    expect(stdout).toContain('matches');
  }, 60_000);
});
