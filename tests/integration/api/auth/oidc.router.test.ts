// Sign-in with an OpenID Connect provider, end to end: a browser's redirects followed with fetch
// through Ensemble and a local provider (tests/support/standins/oidc.ts) that checks the client
// secret and the PKCE verifier and signs real RS256 ID tokens.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createServer } from 'node:net';
import supertest from 'supertest';
import { buildUser } from '../../../support/factories.ts';
import { expectError } from '../../../support/expect-error.ts';
import { startTestServer, type TestServer } from '../../../support/server.ts';
import { OidcBrowser } from '../../../support/oidc-browser.ts';
import { startOidcStandIn, type OidcStandIn, type OidcUser } from '../../../support/standins/oidc.ts';

const APP = 'http://app.example.test';
let idp: OidcStandIn;
let server: TestServer;
let closedPort: number;

/** A port nothing listens on: the "provider is down" case. */
async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((ok) => probe.listen(0, '127.0.0.1', ok));
  const { port } = probe.address() as { port: number };
  await new Promise<void>((ok) => probe.close(() => ok()));
  return port;
}

beforeAll(async () => {
  idp = await startOidcStandIn('ensemble-client', 'client-secret-789');
  closedPort = await freePort();
  server = await startTestServer({
    OIDC_PROVIDERS: 'acme,down',
    OIDC_ACME_ISSUER: idp.issuer,
    OIDC_ACME_CLIENT_ID: 'ensemble-client',
    OIDC_ACME_CLIENT_SECRET: 'client-secret-789',
    OIDC_ACME_LABEL: 'Acme SSO',
    OIDC_DOWN_ISSUER: `http://127.0.0.1:${closedPort}`,
    OIDC_DOWN_CLIENT_ID: 'x',
    OIDC_DOWN_CLIENT_SECRET: 'y',
    AUTH_REDIRECT_ORIGINS: APP,
    OUTBOUND_TIMEOUT_MS: '3000',
    OUTBOUND_ALLOW_HOSTS: '127.0.0.1',
  });
});
afterAll(async () => {
  await server.close();
  await idp.close();
});

let nextSub = 1;
const person = (email: string, extra: Partial<OidcUser> = {}): OidcUser => ({
  sub: `sub-${Date.now()}-${nextSub++}`,
  email,
  email_verified: true,
  name: 'Ada Lovelace',
  picture: 'https://avatars.example/ada.png',
  ...extra,
});

/** A browser on this test's server (tests/support/oidc-browser.ts). */
class Browser extends OidcBrowser {
  constructor() {
    super(server.url);
  }
}

const exchange = (landed: URL) => server.api.post('/api/auth/exchange', { code: landed.searchParams.get('code') });

describe('OpenID Connect sign-in', () => {
  it('lists the configured providers', async () => {
    const res = await supertest(server.url).get('/api/auth/oidc');
    expect(res.status).toBe(200);
    expect(res.body.providers).toEqual([
      { name: 'acme', label: 'Acme SSO', url: '/api/auth/oidc/acme' },
      { name: 'down', label: 'Down', url: '/api/auth/oidc/down' },
    ]);
  });

  it('signs a new user in through the redirects and hands back a one-time code for tokens', async () => {
    const email = `oidc-${Date.now()}@example.test`;
    idp.signInAs(person(email));
    const browser = new Browser();
    const callback = await browser.toProvider('/app/welcome');
    // The provider got PKCE S256, a state and a nonce, our callback and the openid scope.
    const authorize = idp.seen.filter((r) => r.path.endsWith('/authorize')).at(-1);
    expect(authorize?.query.get('code_challenge_method')).toBe('S256');
    expect(authorize?.query.get('code_challenge')).toMatch(/^[\w-]{43}$/);
    expect(authorize?.query.get('nonce')?.length).toBeGreaterThanOrEqual(32);
    expect(authorize?.query.get('state')).toBe(callback.searchParams.get('state'));
    expect(authorize?.query.get('redirect_uri')).toBe(`${server.url}/api/auth/oidc/acme/callback`);
    expect(authorize?.query.get('scope')?.split(' ')).toEqual(['openid', 'email', 'profile']);

    const landed = await browser.back(callback);
    expect(landed.pathname).toBe('/app/welcome');
    expect(landed.searchParams.get('error')).toBeNull();
    const res = await exchange(landed);
    expect(res.status).toBe(200);
    expect(res.body.user).toMatchObject({ email, name: 'Ada Lovelace', avatarUrl: 'https://avatars.example/ada.png' });
    expect((await server.api.as(res.body.accessToken).get('/api/auth/me')).status).toBe(200);
    expectError(await exchange(landed), 401, 'invalid_code');
    // The code exchange authenticated with HTTP Basic and sent the verifier; the cookie is spent.
    const token = idp.seen.filter((r) => r.path.endsWith('/token')).at(-1);
    expect(token?.auth).toMatch(/^Basic /);
    expect(token?.form?.get('code_verifier')).toMatch(/^[\w-]{43,128}$/);
    expect(await browser.back(callback)).toHaveProperty('search', '?error=oidc_state_invalid');
  });

  it('keeps signing into the same account after the email changes at the provider', async () => {
    const user = person(`before-${Date.now()}@example.test`);
    idp.signInAs(user);
    const first = (await exchange(await new Browser().signIn())).body.user.id;
    idp.signInAs({ ...user, email: `after-${Date.now()}@example.test` });
    const second = await exchange(await new Browser().signIn());
    expect(second.body.user.id).toBe(first);
    const identity = await server.db.userIdentity.findFirstOrThrow({ where: { subject: user.sub } });
    expect(identity.email).toMatch(/^after-/);
  });

  it('links a verified email to an existing password account', async () => {
    const existing = await buildUser(server);
    idp.signInAs(person(existing.email.toUpperCase()));
    const res = await exchange(await new Browser().signIn());
    expect(res.body.user.id).toBe(existing.id);
    const identities = await server.db.userIdentity.findMany({ where: { userId: existing.id } });
    expect(identities).toMatchObject([{ provider: 'acme', issuer: idp.issuer }]);
    const login = await server.api.post('/api/auth/login', { email: existing.email, password: existing.password });
    expect(login.status).toBe(200);
    // The linked identity is part of what the user's data export tells them.
    const exported = await server.api.as(res.body.accessToken).get('/api/auth/me/export');
    expect(exported.body.signInIdentities).toMatchObject([{ provider: 'acme', issuer: idp.issuer }]);
  });

  it('never links an unverified email, nor creates an account with it', async () => {
    const existing = await buildUser(server);
    idp.signInAs(person(existing.email, { email_verified: false }));
    const landed = await new Browser().signIn();
    expect(landed.searchParams.get('error')).toBe('oidc_email_unverified');
    expect(landed.searchParams.get('code')).toBeNull();
    expect(await server.db.userIdentity.count({ where: { userId: existing.id } })).toBe(0);
    idp.signInAs(person(`nobody-${Date.now()}@example.test`, { email_verified: 'false' }));
    expect((await new Browser().signIn()).searchParams.get('error')).toBe('oidc_email_unverified');
  });

  it('reads the email from UserInfo when the ID token leaves it out', async () => {
    const email = `userinfo-${Date.now()}@example.test`;
    idp.signInAs(person(email));
    idp.misbehaveOnce({ emailOnlyInUserInfo: true });
    const res = await exchange(await new Browser().signIn());
    expect(res.body.user.email).toBe(email);
    expect(idp.seen.at(-1)?.path).toBe('/tenant-a/userinfo');
  });

  it('refuses a callback whose state does not match the browser', async () => {
    idp.signInAs(person(`state-${Date.now()}@example.test`));
    const browser = new Browser();
    const callback = await browser.toProvider();
    callback.searchParams.set('state', 'forged-state');
    expect((await browser.back(callback)).searchParams.get('error')).toBe('oidc_state_invalid');
    // A callback from a browser that never started (login CSRF): no cookie, refused alike.
    const other = await new Browser().toProvider();
    expect((await new Browser().back(other)).searchParams.get('error')).toBe('oidc_state_invalid');
  });

  it('completes two sign-ins started at once in one browser (two tabs)', async () => {
    const browser = new Browser();
    idp.signInAs(person(`tab-one-${Date.now()}@example.test`));
    const first = await browser.toProvider('/app/one');
    idp.signInAs(person(`tab-two-${Date.now()}@example.test`));
    const second = await browser.toProvider('/app/two');
    const landedTwo = await browser.back(second);
    const landedOne = await browser.back(first);
    expect([landedOne.pathname, landedOne.searchParams.get('error')]).toEqual(['/app/one', null]);
    expect([landedTwo.pathname, landedTwo.searchParams.get('error')]).toEqual(['/app/two', null]);
    expect((await exchange(landedOne)).body.user.email).toMatch(/^tab-one-/);
  });

  it('refuses an answer naming another issuer than the sign-in went to (RFC 9207 mix-up)', async () => {
    idp.signInAs(person(`mixup-${Date.now()}@example.test`));
    const browser = new Browser();
    const callback = await browser.toProvider();
    expect(callback.searchParams.get('iss')).toBe(idp.issuer);
    callback.searchParams.set('iss', 'https://other-idp.example');
    expect((await browser.back(callback)).searchParams.get('error')).toBe('oidc_state_invalid');
  });

  it('refuses an ID token with another nonce, and one replayed from an earlier sign-in', async () => {
    idp.signInAs(person(`nonce-${Date.now()}@example.test`));
    idp.misbehaveOnce({ nonce: 'not-the-one-sent' });
    expect((await new Browser().signIn()).searchParams.get('error')).toBe('oidc_nonce_mismatch');
    await new Browser().signIn();
    const earlier = idp.issued.at(-1) as string;
    idp.misbehaveOnce({ idToken: earlier });
    expect((await new Browser().signIn()).searchParams.get('error')).toBe('oidc_nonce_mismatch');
  });

  it('refuses ID tokens signed by a key the provider does not publish, expired or for another client', async () => {
    idp.signInAs(person(`keys-${Date.now()}@example.test`));
    for (const how of [
      { rogueKid: 'rogue-key' },
      { forgeCurrentKid: true },
      { expiresIn: -600 },
      { audience: 'another-client' },
    ]) {
      idp.misbehaveOnce(how);
      const landed = await new Browser().signIn();
      expect({ how, error: landed.searchParams.get('error') }).toEqual({ how, error: 'oidc_token_invalid' });
    }
  });

  it('follows a key rotation: a token under a new kid makes it fetch the JWKS again', async () => {
    idp.signInAs(person(`rotate-${Date.now()}@example.test`));
    expect((await new Browser().signIn()).searchParams.get('code')).toBeTruthy();
    const jwksFetches = () => idp.seen.filter((r) => r.path.endsWith('/jwks')).length;
    const before = jwksFetches();
    idp.rotateKey();
    const landed = await new Browser().signIn();
    expect(landed.searchParams.get('error')).toBeNull();
    expect((await exchange(landed)).status).toBe(200);
    expect(jwksFetches()).toBe(before + 1);
  });

  it('surfaces a PKCE verifier the provider refuses (an injected code) as oidc_code_rejected', async () => {
    idp.signInAs(person(`pkce-${Date.now()}@example.test`));
    const attacker = await new Browser().toProvider();
    const victim = new Browser();
    const callback = await victim.toProvider();
    // The attacker's code, with the victim's own state: only the PKCE verifier can tell.
    callback.searchParams.set('code', attacker.searchParams.get('code') as string);
    expect((await victim.back(callback)).searchParams.get('error')).toBe('oidc_code_rejected');
    expect(
      idp.seen
        .filter((r) => r.path.endsWith('/token'))
        .at(-1)
        ?.form?.get('code'),
    ).toBe(attacker.searchParams.get('code'));
  });

  it('tells the app when the provider refused the sign-in', async () => {
    const browser = new Browser();
    const callback = await browser.toProvider(`${APP}/signed-in`);
    callback.searchParams.delete('code');
    callback.searchParams.set('error', 'access_denied');
    const landed = await browser.back(callback);
    expect(landed.origin).toBe(APP);
    expect(landed.searchParams.get('error')).toBe('oidc_denied');
  });

  it('sends the browser back only to this site or an allowed app origin', async () => {
    for (const target of ['https://evil.example/', '//evil.example/', '/\\evil.example']) {
      const res = await supertest(server.url).get(`/api/auth/oidc/acme?redirect=${encodeURIComponent(target)}`);
      expectError(res, 400, 'validation_failed');
      expect(res.body.error.details[0].code).toBe('redirect_not_allowed');
    }
    idp.signInAs(person(`app-${Date.now()}@example.test`));
    const landed = await new Browser().signIn(`${APP}/done`);
    expect(landed.origin).toBe(APP);
    expect(landed.searchParams.get('code')).toBeTruthy();
  });

  it('answers 503 oidc_provider_unavailable when the discovery document cannot be fetched', async () => {
    expectError(await supertest(server.url).get('/api/auth/oidc/down'), 503, 'oidc_provider_unavailable');
  });

  it('tells the app when the provider fails during the code exchange', async () => {
    idp.signInAs(person(`trouble-${Date.now()}@example.test`));
    idp.misbehaveOnce({ tokenStatus: 503 });
    expect((await new Browser().signIn()).searchParams.get('error')).toBe('oidc_provider_unavailable');
  });

  it("signs a deleted account's provider identity into a fresh account", async () => {
    const user = person(`deleted-${Date.now()}@example.test`);
    idp.signInAs(user);
    const first = (await exchange(await new Browser().signIn())).body;
    const deleted = await server.api.as(first.accessToken).delete('/api/auth/me').send({ confirmEmail: user.email });
    expect(deleted.status).toBe(204);
    expect(await server.db.userIdentity.count({ where: { subject: user.sub } })).toBe(0);
    const again = (await exchange(await new Browser().signIn())).body;
    expect(again.user.id).not.toBe(first.user.id);
    expect(again.user.email).toBe(user.email);
  });

  it('limits the sign-ins one address may start (each may make a request to the provider)', async () => {
    const limited = await startTestServer({
      OIDC_PROVIDERS: 'down',
      OIDC_DOWN_ISSUER: `http://127.0.0.1:${closedPort}`,
      OIDC_DOWN_CLIENT_ID: 'x',
      OIDC_DOWN_CLIENT_SECRET: 'y',
      LOGIN_LIMIT_PER_IP: '3',
    });
    try {
      for (let i = 0; i < 3; i++) {
        expectError(await supertest(limited.url).get('/api/auth/oidc/down'), 503, 'oidc_provider_unavailable');
      }
      const refused = await supertest(limited.url).get('/api/auth/oidc/down');
      expectError(refused, 429, 'rate_limited');
      expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    } finally {
      await limited.close();
    }
  });

  it('is in the OpenAPI document', async () => {
    const { paths } = (await supertest(server.url).get('/api/openapi.json')).body;
    const op = (path: string) => paths[path]?.get;
    expect(op('/api/auth/oidc')?.operationId).toBe('getAuthOidc');
    expect(op('/api/auth/oidc/{provider}')?.operationId).toBe('getAuthOidcByProvider');
    const callback = op('/api/auth/oidc/{provider}/callback');
    expect(callback?.operationId).toBe('getAuthOidcByProviderCallback');
    expect(callback.parameters.map((p: { name: string }) => p.name).sort()).toEqual([
      'code',
      'error',
      'iss',
      'provider',
      'state',
    ]);
  });

  it('answers 404 for an unknown provider and 501 where none is configured', async () => {
    expectError(await supertest(server.url).get('/api/auth/oidc/nope'), 404, 'oidc_provider_unknown');
    const bare = await startTestServer();
    try {
      expectError(await supertest(bare.url).get('/api/auth/oidc/google'), 501, 'not_configured');
      expect((await supertest(bare.url).get('/api/auth/oidc')).body).toEqual({ providers: [] });
    } finally {
      await bare.close();
    }
  });
});
