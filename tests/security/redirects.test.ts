// Sign-in redirects: the bypasses attackers use against path checks are refused before GitHub is
// involved, and a completed sign-in only ever lands on this server or an allowed app origin.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import supertest from 'supertest';
import { startTestServer, type TestServer } from '../support/server.ts';
import { startGithubStandIn, type GithubStandIn } from '../support/standins/github.ts';

let github: GithubStandIn;
let server: TestServer;
const APP = 'https://app.example.test';

beforeAll(async () => {
  github = await startGithubStandIn('client-r', 'secret-r');
  server = await startTestServer({
    GITHUB_CLIENT_ID: 'client-r',
    GITHUB_CLIENT_SECRET: 'secret-r',
    GITHUB_AUTHORIZE_URL: `${github.url}/login/oauth/authorize`,
    GITHUB_TOKEN_URL: `${github.url}/login/oauth/access_token`,
    GITHUB_API_URL: github.url,
    AUTH_REDIRECT_ORIGINS: APP,
  });
});
afterAll(async () => {
  await server.close();
  await github.close();
});

const BYPASSES = [
  '/.//evil.example/steal',
  '/..//evil.example/steal',
  '/./\\evil.example/steal',
  '/\\evil.example',
  '\\\\evil.example',
  '//evil.example/',
  '///evil.example/',
  '/\t/evil.example/',
  'https://evil.example/',
  'https:evil.example',
  'http://app.example.test.evil.example/',
  'https://app.example.test@evil.example/',
  'https://user:pw@app.example.test/',
  'javascript:alert(1)',
  'data:text/html,<script>alert(1)</script>',
  '//app.example.test%2f@evil.example',
];

describe('sign-in redirects', () => {
  it('refuses every known bypass with 400 before anything else happens', async () => {
    const accepted: string[] = [];
    for (const target of BYPASSES) {
      const res = await supertest(server.url).get(`/api/auth/github?redirect=${encodeURIComponent(target)}`);
      if (res.status !== 400) accepted.push(`${target} → ${res.status} ${res.headers.location ?? ''}`);
    }
    expect(accepted).toEqual([]);
    console.log(`redirects: ${BYPASSES.length} bypasses tried, ${BYPASSES.length - accepted.length} refused`);
  });

  it('lets a path here or an allowed app origin through, and lands there with the code', async () => {
    for (const target of ['/app/welcome?x=1', `${APP}/signed-in`]) {
      const start = await supertest(server.url).get(`/api/auth/github?redirect=${encodeURIComponent(target)}`);
      expect(start.status).toBe(302);
      github.signInAs({
        id: Math.floor(Math.random() * 1e9),
        login: 'r',
        name: 'R',
        avatar_url: '',
        emails: [{ email: `r-${Date.now()}-${Math.random()}@example.test`, primary: true, verified: true }],
      });
      const cookie = (start.headers['set-cookie'] as unknown as string[]).map((c) => c.split(';')[0]).join('; ');
      const authorize = await supertest(start.headers.location as string).get('');
      const callback = new URL(authorize.headers.location as string);
      const done = await supertest(server.url)
        .get(callback.pathname + callback.search)
        .set('Cookie', cookie);
      expect(done.status).toBe(302);
      const landed = new URL(done.headers.location as string);
      expect(landed.origin).toBe(new URL(target, server.url).origin);
      expect(landed.searchParams.get('code')).toBeTruthy();
    }
  });
});
