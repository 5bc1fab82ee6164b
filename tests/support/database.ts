// One database per Jest worker, cloned from the run's migrated template on first use.
import pg from 'pg';

function env(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: run the tests through Jest (globalSetup sets it)`);
  return value;
}

/** The run id: every database and Redis key of this run starts with it. */
export const testRun = () => env('ENSEMBLE_TEST_RUN');

/** The Redis URL of this run. */
export const testRedisUrl = () => env('ENSEMBLE_TEST_REDIS');

/** A URL for database `name` on the test server. */
export function databaseUrl(name: string): string {
  const url = new URL(env('ENSEMBLE_TEST_PG_ADMIN'));
  url.pathname = `/${name}`;
  return url.toString();
}

/** Creates (if needed) a database cloned from the template and returns its URL. */
export async function cloneTemplate(name: string): Promise<string> {
  const admin = new pg.Client({ connectionString: env('ENSEMBLE_TEST_PG_ADMIN') });
  await admin.connect();
  try {
    const { rowCount } = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (!rowCount) await admin.query(`CREATE DATABASE "${name}" TEMPLATE "${testRun()}_tpl"`);
  } finally {
    await admin.end();
  }
  return databaseUrl(name);
}

/** This worker's database URL. */
export function workerDatabaseUrl(): Promise<string> {
  return cloneTemplate(`${testRun()}_w${process.env.JEST_WORKER_ID ?? '1'}`);
}
