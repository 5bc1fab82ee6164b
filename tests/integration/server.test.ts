import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { pino } from 'pino';
import supertest from 'supertest';
import { loadConfig } from '../../src/config/config.ts';
import { startEnsemble } from '../../src/server.ts';
import { freePort } from '../support/process.ts';

describe('zero-setup defaults', () => {
  it('runs on an embedded PostgreSQL, single-node, and keeps data across restarts', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'ensemble-embedded-'));
    const env = {
      HOST: '127.0.0.1',
      PORT: '0',
      DATA_DIR: dataDir,
      EMBEDDED_PG_PORT: String(await freePort()),
      PASSWORD_HASH_MEMORY_KIB: '1024',
    };
    const first = await startEnsemble(loadConfig(env), pino({ level: 'silent' }));
    let email: string;
    try {
      expect(first.mode).toEqual({ database: 'embedded', redis: 'single-node', storage: 'filesystem' });
      expect((await supertest(first.url).get('/ready')).body).toEqual({
        status: 'ready',
        checks: { database: 'ok', storage: 'ok' },
      });
      email = `embedded-${Date.now()}@example.test`;
      const reg = await supertest(first.url)
        .post('/api/auth/register')
        .send({ email, password: 'embedded passphrase', name: 'E' });
      expect(reg.status).toBe(201);
    } finally {
      await first.close();
    }
    const second = await startEnsemble(loadConfig(env), pino({ level: 'silent' }));
    try {
      const login = await supertest(second.url)
        .post('/api/auth/login')
        .send({ email, password: 'embedded passphrase' });
      expect(login.status).toBe(200);
    } finally {
      await second.close();
    }
  }, 60_000);
});

describe('roles', () => {
  it('a worker serves health, readiness and metrics but not the API', async () => {
    const { startTestServer } = await import('../support/server.ts');
    const worker = await startTestServer({ ENSEMBLE_ROLE: 'worker' });
    try {
      expect((await supertest(worker.url).get('/health')).status).toBe(200);
      expect((await supertest(worker.url).get('/ready')).status).toBe(200);
      const api = await supertest(worker.url).post('/api/auth/login').send({});
      expect(api.status).toBe(404);
      expect(api.body.error.code).toBe('route_not_found');
    } finally {
      await worker.close();
    }
  });
});
