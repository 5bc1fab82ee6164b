import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import supertest from 'supertest';
import { cloneTemplate, testRun } from '../../support/database.ts';
import { buildUser } from '../../support/factories.ts';
import { expectError } from '../../support/expect-error.ts';
import { startTestServer, type TestServer } from '../../support/server.ts';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ CORS_ORIGINS: 'https://app.example' });
});
afterAll(() => server.close());

describe('the error shape', () => {
  it('answers unknown routes with route_not_found', async () => {
    const res = await server.api.get('/api/nothing-here');
    expectError(res, 404, 'route_not_found');
  });

  it('answers malformed JSON with invalid_json', async () => {
    const res = await supertest(server.url)
      .post('/api/auth/login')
      .set('Content-Type', 'application/json')
      .send('{"email": ');
    expectError(res, 400, 'invalid_json');
  });

  it('refuses bodies over 1 MB with payload_too_large', async () => {
    const res = await supertest(server.url)
      .post('/api/auth/register')
      .set('Content-Type', 'application/json')
      .send(JSON.stringify({ email: 'a@b.co', password: 'x'.repeat(1024 * 1024 + 10), name: 'n' }));
    expectError(res, 413, 'payload_too_large');
  });

  it('names fields with the wrong type', async () => {
    const res = await server.api.post('/api/auth/login', { email: ['a'], password: { p: 1 } });
    expectError(res, 400, 'validation_failed');
    expect(res.body.error.details).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ path: 'email' }),
        expect.objectContaining({ path: 'password' }),
      ]),
    );
  });

  it('refuses a body that is not JSON on a JSON route with 415, naming the content type', async () => {
    for (const [type, body] of [
      ['text/plain', 'email=a'],
      ['application/x-www-form-urlencoded', 'email=a&password=b'],
    ] as const) {
      const res = await supertest(server.url).post('/api/auth/login').set('Content-Type', type).send(body);
      expectError(res, 415, 'unsupported_media_type');
      expect(res.body.error.details).toEqual([
        expect.objectContaining({ path: 'Content-Type', message: expect.stringContaining(type) }),
      ]);
    }
    // Bytes without any Content-Type are not JSON either.
    const bare = await supertest(server.url)
      .post('/api/auth/login')
      .set('Content-Type', '')
      .send(Buffer.from('{"email":"a@b.co"}'));
    expectError(bare, 415, 'unsupported_media_type');
    // JSON with a charset parameter is JSON.
    const json = await supertest(server.url)
      .post('/api/auth/login')
      .set('Content-Type', 'application/json; charset=utf-8')
      .send('{"email":"a"}');
    expectError(json, 400, 'validation_failed');
  });

  it('does not refuse a POST that sends no body at all', async () => {
    const user = await buildUser(server);
    // No body, no Content-Type: validated as an empty body (logout needs its refreshToken).
    expectError(await supertest(server.url).post('/api/auth/logout'), 400, 'validation_failed');
    const bare = await supertest(server.url)
      .post('/api/notifications/read-all')
      .set('Authorization', `Bearer ${user.accessToken}`)
      .set('Content-Type', 'text/plain');
    expect(bare.status).toBeLessThan(300);
  });

  it('never leaks internals: an unexpected failure is a plain internal error', async () => {
    // A server on its own database, which then loses a table: every authenticated request fails inside.
    const broken = await startTestServer({
      DATABASE_URL: await cloneTemplate(`${testRun()}_broken_${process.env.JEST_WORKER_ID}`),
    });
    try {
      const user = await buildUser(broken);
      await broken.db.$executeRawUnsafe('DROP TABLE team_members CASCADE');
      const res = await broken.api.as(user).get('/api/auth/me');
      expect(res.status).toBe(500);
      expect(res.body).toEqual({ error: { code: 'internal', message: 'Something went wrong on our side' } });
    } finally {
      await broken.close();
    }
  });
});

describe('request ids, headers and CORS', () => {
  it('honours a sane X-Request-Id and generates one otherwise', async () => {
    const given = await supertest(server.url).get('/health').set('X-Request-Id', 'trace-abc.123');
    expect(given.headers['x-request-id']).toBe('trace-abc.123');
    const generated = await supertest(server.url).get('/health').set('X-Request-Id', 'bad id with spaces');
    expect(generated.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('sets helmet security headers', async () => {
    const res = await supertest(server.url).get('/health');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['content-security-policy']).toBeDefined();
    expect(res.headers['x-powered-by']).toBeUndefined();
  });

  it('allows only configured origins', async () => {
    const ok = await supertest(server.url)
      .options('/api/teams')
      .set('Origin', 'https://app.example')
      .set('Access-Control-Request-Method', 'POST');
    expect(ok.headers['access-control-allow-origin']).toBe('https://app.example');
    const no = await supertest(server.url)
      .options('/api/teams')
      .set('Origin', 'https://evil.example')
      .set('Access-Control-Request-Method', 'POST');
    expect(no.headers['access-control-allow-origin']).toBeUndefined();
  });
});

describe('operations', () => {
  it('GET /health is up', async () => {
    expect((await supertest(server.url).get('/health')).body).toEqual({ status: 'ok' });
  });

  it('GET /ready checks the database and Redis', async () => {
    const res = await supertest(server.url).get('/ready');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: 'ready', checks: { database: 'ok', redis: 'ok', storage: 'ok' } });
  });

  it('GET /ready is 503 while Redis is unreachable', async () => {
    const other = await startTestServer();
    try {
      other.redis?.disconnect();
      const res = await supertest(other.url).get('/ready');
      expect(res.status).toBe(503);
      expect(res.body.checks).toEqual({ database: 'ok', redis: 'unavailable', storage: 'ok' });
    } finally {
      await other.close().catch(() => undefined);
    }
  });

  it('GET /metrics has the HTTP histogram by route and status, and process metrics', async () => {
    await supertest(server.url).get('/api/teams'); // 401 on a known route
    const res = await supertest(server.url).get('/metrics');
    expect(res.status).toBe(200);
    expect(res.text).toMatch(/http_request_duration_seconds_count\{[^}]*route="\/api\/teams"[^}]*status_code="401"/);
    expect(res.text).toContain('process_cpu_user_seconds_total');
  });
});

describe('API docs', () => {
  it('serves an OpenAPI 3.1 document generated from the schemas', async () => {
    const res = await supertest(server.url).get('/api/openapi.json');
    expect(res.status).toBe(200);
    expect(res.body.openapi).toBe('3.1.0');
    const register = res.body.paths['/api/auth/register'].post;
    expect(register.requestBody.content['application/json'].schema.required).toEqual(['email', 'password', 'name']);
    expect(
      res.body.paths['/api/teams/{id}/members/{userId}'].patch.parameters.map((p: { name: string }) => p.name),
    ).toEqual(['id', 'userId']);
    for (const path of [
      '/api/auth/login',
      '/api/auth/refresh',
      '/api/auth/logout',
      '/api/auth/me',
      '/api/teams',
      '/api/teams/{id}',
      '/api/teams/{id}/api-keys',
    ]) {
      expect(res.body.paths).toHaveProperty([path]);
    }
  });

  it('serves a docs page with its assets from the package', async () => {
    const page = await supertest(server.url).get('/docs');
    expect(page.status).toBe(200);
    expect(page.text).toContain('swagger-ui-bundle.js');
    expect((await supertest(server.url).get('/docs/assets/swagger-ui-bundle.js')).status).toBe(200);
  });
});
