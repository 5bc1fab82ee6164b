import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import supertest from 'supertest';
import { buildUser } from '../../../support/factories.ts';
import { expectError } from '../../../support/expect-error.ts';
import { startTestServer, type TestServer } from '../../../support/server.ts';
import { startGithubStandIn, type GithubStandIn, type GithubUser } from '../../../support/standins/github.ts';

let github: GithubStandIn;
let server: TestServer;
beforeAll(async () => {
  github = await startGithubStandIn('client-123', 'secret-456');
  server = await startTestServer({
    GITHUB_CLIENT_ID: 'client-123',
    GITHUB_CLIENT_SECRET: 'secret-456',
    GITHUB_AUTHORIZE_URL: `${github.url}/login/oauth/authorize`,
    GITHUB_TOKEN_URL: `${github.url}/login/oauth/access_token`,
    GITHUB_API_URL: github.url,
  });
});
afterAll(async () => {
  await server.close();
  await github.close();
});

let nextId = 1000;
const ghUser = (email: string, verified = true): GithubUser => ({
  id: nextId++,
  login: `octo${nextId}`,
  name: 'Octo Cat',
  avatar_url: 'https://avatars.example/octo.png',
  emails: [
    { email: `secondary-${nextId}@example.test`, primary: false, verified: true },
    { email, primary: true, verified },
  ],
});

/** Walks the browser's redirects: Ensemble → GitHub → Ensemble callback → the app with a code. */
async function browserSignIn(redirect?: string): Promise<URL> {
  const start = await supertest(server.url).get(
    `/api/auth/github${redirect ? `?redirect=${encodeURIComponent(redirect)}` : ''}`,
  );
  expect(start.status).toBe(302);
  const cookie = start.headers['set-cookie'] as unknown as string[];
  const authorize = await supertest(start.headers.location as string).get('');
  expect(authorize.status).toBe(302);
  const callback = new URL(authorize.headers.location as string);
  const done = await supertest(server.url)
    .get(callback.pathname + callback.search)
    .set('Cookie', cookie.map((c) => c.split(';')[0]).join('; '));
  expect(done.status).toBe(302);
  expect(done.headers.location).not.toMatch(/accessToken|refreshToken|eyJ/);
  return new URL(done.headers.location as string, server.url);
}

describe('GitHub sign-in', () => {
  it('creates a user and hands back a one-time code that exchanges for tokens', async () => {
    const email = `gh-${Date.now()}@example.test`;
    github.signInAs(ghUser(email));
    const landed = await browserSignIn('/app/welcome');
    expect(landed.pathname).toBe('/app/welcome');
    const code = landed.searchParams.get('code') as string;
    expect(code).toBeTruthy();

    const exchange = await server.api.post('/api/auth/exchange', { code });
    expect(exchange.status).toBe(200);
    expect(exchange.body.user).toMatchObject({
      email,
      name: 'Octo Cat',
      avatarUrl: 'https://avatars.example/octo.png',
    });
    expect((await server.api.as(exchange.body.accessToken).get('/api/auth/me')).status).toBe(200);
    // A code works once.
    expectError(await server.api.post('/api/auth/exchange', { code }), 401, 'invalid_code');
    // The stand-in saw a real token exchange with our credentials and authenticated API calls.
    expect(
      github.seen.some((r) => r.path === '/login/oauth/access_token' && r.body?.includes('client_secret=secret-456')),
    ).toBe(true);
    expect(github.seen.some((r) => r.path === '/user/emails' && /^Bearer gho_/.test(r.auth ?? ''))).toBe(true);
  });

  it('links to an existing account with the same verified email', async () => {
    const existing = await buildUser(server);
    github.signInAs(ghUser(existing.email));
    const code = (await browserSignIn()).searchParams.get('code') as string;
    const exchange = await server.api.post('/api/auth/exchange', { code });
    expect(exchange.body.user.id).toBe(existing.id);
    const row = await server.db.user.findUniqueOrThrow({ where: { id: existing.id } });
    expect(row.githubId).not.toBeNull();
  });

  it('does not link on an unverified email', async () => {
    const existing = await buildUser(server);
    const user = ghUser(existing.email, false);
    github.signInAs(user);
    const code = (await browserSignIn()).searchParams.get('code') as string;
    const exchange = await server.api.post('/api/auth/exchange', { code });
    expect(exchange.body.user.id).not.toBe(existing.id);
    expect(exchange.body.user.email).toBe(user.emails[0]?.email);
  });

  it('refuses a callback whose state does not match the browser', async () => {
    github.signInAs(ghUser(`gh-state-${Date.now()}@example.test`));
    const start = await supertest(server.url).get('/api/auth/github');
    const authorize = await supertest(start.headers.location as string).get('');
    const callback = new URL(authorize.headers.location as string);
    const done = await supertest(server.url).get(callback.pathname + callback.search); // no state cookie
    expect(done.status).toBe(302);
    expect(new URL(done.headers.location as string, server.url).searchParams.get('error')).toBe('oauth_failed');
  });

  it('rejects open redirects', async () => {
    const res = await supertest(server.url).get('/api/auth/github?redirect=//evil.example/');
    expect(res.status).toBe(400);
  });

  it('answers not_configured when no client is set up', async () => {
    const bare = await startTestServer();
    try {
      expectError(await supertest(bare.url).get('/api/auth/github'), 501, 'not_configured');
    } finally {
      await bare.close();
    }
  });
});
