// Once per run: find the backends, build a migrated template database that each Jest worker clones.
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { applyMigrations } from '../../src/models/migrate.ts';
import { startBackends } from './services.ts';

export default async function globalSetup(): Promise<void> {
  const backends = await startBackends();
  const run = `ens_t_${randomBytes(4).toString('hex')}`;
  const template = `${run}_tpl`;
  const admin = new pg.Client({ connectionString: backends.pgAdminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${template}"`);
  await admin.end();
  const templateUrl = new URL(backends.pgAdminUrl);
  templateUrl.pathname = `/${template}`;
  await applyMigrations(templateUrl.toString());

  // Workers inherit this environment.
  process.env.ENSEMBLE_TEST_RUN = run;
  process.env.ENSEMBLE_TEST_PG_ADMIN = backends.pgAdminUrl;
  process.env.ENSEMBLE_TEST_REDIS = backends.redisUrl;
  (globalThis as { __ensembleBackends?: typeof backends }).__ensembleBackends = backends;
}
