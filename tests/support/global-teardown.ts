// Drops every database and Redis key this run created, then stops any server started for it.
import { Redis } from 'ioredis';
import pg from 'pg';
import type { Backends } from './services.ts';

export default async function globalTeardown(): Promise<void> {
  const run = process.env.ENSEMBLE_TEST_RUN;
  const adminUrl = process.env.ENSEMBLE_TEST_PG_ADMIN;
  const redisUrl = process.env.ENSEMBLE_TEST_REDIS;
  if (run && adminUrl) {
    const admin = new pg.Client({ connectionString: adminUrl });
    await admin.connect();
    const { rows } = await admin.query<{ datname: string }>('SELECT datname FROM pg_database WHERE datname LIKE $1', [
      `${run}%`,
    ]);
    for (const { datname } of rows) await admin.query(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`);
    await admin.end();
  }
  if (run && redisUrl) {
    const redis = new Redis(redisUrl);
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${run}:*`, 'COUNT', 1000);
      if (keys.length) await redis.del(...keys);
      cursor = next;
    } while (cursor !== '0');
    await redis.quit();
  }
  await (globalThis as { __ensembleBackends?: Backends }).__ensembleBackends?.stop();
}
