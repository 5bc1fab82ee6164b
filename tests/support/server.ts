// Starts a real Ensemble on port 0 against this worker's database and the run's Redis.
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { loadConfig, type Config } from '../../src/config/config.ts';
import { startEnsemble, type Ensemble } from '../../src/server.ts';
import { Api } from './api.ts';
import { testRedisUrl, testRun, workerDatabaseUrl } from './database.ts';

export interface TestServer extends Ensemble {
  api: Api;
  config: Config;
}

/** Environment for a test server; `REDIS_URL: ''` runs it single-node. */
export async function testEnv(overrides: Record<string, string> = {}): Promise<Record<string, string>> {
  return {
    NODE_ENV: 'test',
    HOST: '127.0.0.1',
    PORT: '0',
    LOG_LEVEL: 'silent',
    DATABASE_URL: await workerDatabaseUrl(),
    REDIS_URL: testRedisUrl(),
    REDIS_KEY_PREFIX: `${testRun()}:${randomBytes(4).toString('hex')}:`,
    JWT_SECRET: randomBytes(32).toString('hex'),
    PASSWORD_HASH_MEMORY_KIB: '1024',
    LOGIN_LIMIT_PER_IP: '10000',
    DATA_DIR: mkdtempSync(join(tmpdir(), 'ensemble-test-')),
    ...overrides,
  };
}

/** Starts a server; close it in afterAll. */
export async function startTestServer(overrides: Record<string, string> = {}): Promise<TestServer> {
  const config = loadConfig(await testEnv(overrides));
  const ensemble = await startEnsemble(config, pino({ level: 'silent' }));
  return Object.assign(ensemble, { api: new Api(ensemble.url), config });
}
