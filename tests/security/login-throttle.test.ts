// Wrong passwords slow an attacker down without locking the real owner out: the limit is per
// account and address, and guesses spread over many addresses make every failure slower.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import supertest from 'supertest';
import { buildUser } from '../support/factories.ts';
import { startTestServer, type TestServer } from '../support/server.ts';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ TRUST_PROXY: 'true', LOGIN_LIMIT_PER_IP: '1000', LOGIN_LIMIT_PER_EMAIL: '10' });
});
afterAll(() => server.close());

const login = (from: string, email: string, password: string) =>
  supertest(server.url).post('/api/auth/login').set('X-Forwarded-For', from).send({ email, password });

describe('login throttling', () => {
  it('an attacker who locks himself out does not lock out the owner from elsewhere', async () => {
    const owner = await buildUser(server);
    const statuses: number[] = [];
    for (let i = 0; i < 12; i++) statuses.push((await login('203.0.113.9', owner.email, 'not the password')).status);
    expect(statuses.slice(-2)).toEqual([429, 429]);
    // The right password from the attacker's address is refused too (the limit is the address's)…
    expect((await login('203.0.113.9', owner.email, owner.password)).status).toBe(429);
    // …but the owner, elsewhere, signs in.
    expect((await login('198.51.100.7', owner.email, owner.password)).status).toBe(200);
  });

  it('guesses from many addresses are slowed, and the owner still signs in at once', async () => {
    const owner = await buildUser(server);
    const timings: number[] = [];
    for (let i = 0; i < 16; i++) {
      const started = performance.now();
      expect((await login(`192.0.2.${i + 1}`, owner.email, 'guess')).status).toBe(401);
      timings.push(performance.now() - started);
    }
    // Past the per-account limit (10) each failure waits 250 ms more.
    expect(timings[15]).toBeGreaterThanOrEqual(6 * 250 - 50);
    const started = performance.now();
    expect((await login('198.51.100.8', owner.email, owner.password)).status).toBe(200);
    const ownerMs = performance.now() - started;
    expect(ownerMs).toBeLessThan(1000);
    console.log(
      `login throttle: 12 guesses from one address → 429 for it only; 16 from 16 addresses, the last answered after ${timings[15]?.toFixed(0)} ms; owner in ${ownerMs.toFixed(0)} ms`,
    );
  }, 30_000);
});
