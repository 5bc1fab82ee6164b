// Finds or starts the PostgreSQL and Redis servers the tests talk to. Real servers only:
// TEST_DATABASE_URL / TEST_REDIS_URL if set, else the local defaults, else ones started here
// (embedded PostgreSQL from npm; `redis-server` from PATH).
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import pg from 'pg';
import { startEmbeddedPostgres, type EmbeddedDatabase } from '../../src/models/embedded-postgres.ts';
import { freePort } from './process.ts';

async function reachablePg(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

async function reachableRedis(url: string): Promise<boolean> {
  const redis = new Redis(url, {
    lazyConnect: true,
    connectTimeout: 2000,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
  });
  try {
    await redis.connect();
    return (await redis.ping()) === 'PONG';
  } catch {
    return false;
  } finally {
    redis.disconnect();
  }
}

export interface Backends {
  pgAdminUrl: string;
  redisUrl: string;
  stop(): Promise<void>;
}

/** PostgreSQL admin URL and Redis URL for this test run. */
export async function startBackends(): Promise<Backends> {
  const stops: (() => Promise<void>)[] = [];
  let pgAdminUrl = process.env.TEST_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';
  if (!(await reachablePg(pgAdminUrl))) {
    const dir = await mkdtemp(join(tmpdir(), 'ensemble-test-pg-'));
    const embedded: EmbeddedDatabase = await startEmbeddedPostgres(dir, await freePort());
    pgAdminUrl = embedded.url.replace(/\/ensemble$/, '/postgres');
    stops.push(() => embedded.stop());
  }
  let redisUrl = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
  if (!(await reachableRedis(redisUrl))) {
    const port = await freePort();
    const child: ChildProcess = spawn(
      'redis-server',
      ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
      { stdio: 'ignore' },
    );
    const spawned = await new Promise<boolean>((resolve) => {
      child.once('error', () => resolve(false));
      setTimeout(() => resolve(true), 300);
    });
    redisUrl = `redis://127.0.0.1:${port}`;
    if (!spawned || !(await reachableRedis(redisUrl))) {
      throw new Error(
        'Tests need Redis: run one on 127.0.0.1:6379, set TEST_REDIS_URL, or install redis-server (apt-get install redis-server).',
      );
    }
    stops.push(async () => {
      child.kill('SIGTERM');
    });
  }
  return { pgAdminUrl, redisUrl, stop: async () => void (await Promise.all(stops.map((s) => s()))) };
}
