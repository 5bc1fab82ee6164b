// Credentials and what they open: a JWT must carry an expiry, weak passwords are refused at
// registration, and /metrics is not for the public port.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import jwt from 'jsonwebtoken';
import { buildUser } from '../support/factories.ts';
import { startTestServer, type TestServer } from '../support/server.ts';

let server: TestServer;
let closed: TestServer;
beforeAll(async () => {
  server = await startTestServer({ METRICS_TOKEN: 'a-metrics-token-of-some-length' });
  closed = await startTestServer({ NODE_ENV: 'production' });
});
afterAll(async () => {
  await server.close();
  await closed.close();
});

describe('credentials', () => {
  it('refuses a correctly signed JWT without exp, and one with alg none', async () => {
    const user = await buildUser(server);
    const { JWT_SECRET, JWT_ISSUER, JWT_AUDIENCE } = server.config;
    const claims = { sub: user.id, sid: '00000000-0000-4000-8000-000000000000', typ: 'access' };
    const noExp = jwt.sign(claims, JWT_SECRET as string, {
      algorithm: 'HS256',
      issuer: JWT_ISSUER,
      audience: JWT_AUDIENCE,
    });
    const none = jwt.sign(claims, '', {
      algorithm: 'none',
      issuer: JWT_ISSUER,
      audience: JWT_AUDIENCE,
      expiresIn: 600,
    } as jwt.SignOptions);
    for (const token of [noExp, none]) {
      const res = await server.api.as(token).get('/api/auth/me');
      expect([res.status, res.body.error?.code]).toEqual([401, 'invalid_token']);
    }
  });

  it('refuses common and guessable passwords at registration, and takes a strong one', async () => {
    const weak = ['aaaaaaaaaa', 'password12', 'qwertyuiop1', '1234567890', 'iloveyou12', 'Summer2024!'];
    const accepted: string[] = [];
    for (const password of weak) {
      const res = await server.api.post('/api/auth/register', {
        email: `w-${Math.random()}@example.test`,
        password,
        name: 'W',
      });
      if (res.status !== 422 && res.status !== 400) accepted.push(`${password} → ${res.status}`);
      else
        expect(res.body.error.details).toEqual(expect.arrayContaining([expect.objectContaining({ path: 'password' })]));
    }
    expect(accepted).toEqual([]);
    expect(
      (
        await server.api.post('/api/auth/register', {
          email: `s-${Math.random()}@example.test`,
          password: 'violet lantern under tide',
          name: 'S',
        })
      ).status,
    ).toBe(201);
    console.log(`passwords: ${weak.length} weak tried, ${weak.length - accepted.length} refused`);
  });

  it('serves /metrics only with its token, and not at all in production without one', async () => {
    expect((await fetch(`${server.url}/metrics`)).status).toBe(401);
    expect(
      (await fetch(`${server.url}/metrics`, { headers: { authorization: 'Bearer wrong-token-of-some-length' } }))
        .status,
    ).toBe(401);
    const ok = await fetch(`${server.url}/metrics`, {
      headers: { authorization: 'Bearer a-metrics-token-of-some-length' },
    });
    expect(ok.status).toBe(200);
    expect(await ok.text()).toContain('realtime_connections');
    expect((await fetch(`${closed.url}/metrics`)).status).toBe(404);
    expect((await fetch(`${closed.url}/health`)).status).toBe(200);
  });
});
