import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import jwt from 'jsonwebtoken';
import { buildApiKey, buildCrew, buildTeam, buildUser } from '../../../support/factories.ts';
import { expectError } from '../../../support/expect-error.ts';
import { startTestServer, type TestServer } from '../../../support/server.ts';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());

const email = () => `flow-${Math.random().toString(36).slice(2)}@example.test`;

describe('auth flow', () => {
  it('register → login → me → refresh → reuse revokes the family → logout', async () => {
    const address = email();
    const reg = await server.api.post('/api/auth/register', {
      email: address,
      password: 'a sturdy passphrase',
      name: 'Flow',
    });
    expect(reg.status).toBe(201);
    expect(reg.body.user).toMatchObject({ email: address, name: 'Flow' });
    expect(reg.body.user.passwordHash).toBeUndefined();

    const login = await server.api.post('/api/auth/login', {
      email: address.toUpperCase(),
      password: 'a sturdy passphrase',
    });
    expect(login.status).toBe(200);
    const { accessToken, refreshToken } = login.body;

    const me = await server.api.as(accessToken).get('/api/auth/me');
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({ email: address, teams: [] });

    const first = await server.api.post('/api/auth/refresh', { refreshToken });
    expect(first.status).toBe(200);
    expect(first.body.refreshToken).not.toBe(refreshToken);
    expect((await server.api.as(first.body.accessToken).get('/api/auth/me')).status).toBe(200);

    // Replaying the used token (after the grace window) is reuse: the whole family dies.
    await server.db.refreshToken.updateMany({
      where: { usedAt: { not: null } },
      data: { usedAt: new Date(Date.now() - 60_000) },
    });
    const replay = await server.api.post('/api/auth/refresh', { refreshToken });
    expect(replay.status).toBe(401);
    expect(replay.body.error.code).toBe('refresh_token_reused');
    const afterReuse = await server.api.post('/api/auth/refresh', { refreshToken: first.body.refreshToken });
    expect(afterReuse.status).toBe(401);
    expect((await server.api.as(first.body.accessToken).get('/api/auth/me')).status).toBe(401);

    // A fresh sign-in still works, and logout ends it.
    const again = await server.api.post('/api/auth/login', { email: address, password: 'a sturdy passphrase' });
    const out = await server.api.post('/api/auth/logout', { refreshToken: again.body.refreshToken });
    expect(out.status).toBe(204);
    expect((await server.api.post('/api/auth/refresh', { refreshToken: again.body.refreshToken })).status).toBe(401);
    expect((await server.api.as(again.body.accessToken).get('/api/auth/me')).status).toBe(401);
  });

  it('lets two refreshes racing with the same token both succeed', async () => {
    const user = await buildUser(server);
    const [a, b] = await Promise.all([
      server.api.post('/api/auth/refresh', { refreshToken: user.refreshToken }),
      server.api.post('/api/auth/refresh', { refreshToken: user.refreshToken }),
    ]);
    expect([a.status, b.status]).toEqual([200, 200]);
    expect(a.body.refreshToken).not.toBe(b.body.refreshToken);
    expect((await server.api.post('/api/auth/refresh', { refreshToken: a.body.refreshToken })).status).toBe(200);
    expect((await server.api.post('/api/auth/refresh', { refreshToken: b.body.refreshToken })).status).toBe(200);
  });
});

describe('POST /api/auth/register', () => {
  it('names each invalid field', async () => {
    const res = await server.api.post('/api/auth/register', { email: 'not-an-email', password: 12, name: '' });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('validation_failed');
    expect(res.body.error.details.map((d: { path: string }) => d.path).sort()).toEqual(['email', 'name', 'password']);
  });

  it('enforces the password rules', async () => {
    const short = await server.api.post('/api/auth/register', { email: email(), password: 'short', name: 'A' });
    expect(short.status).toBe(400);
    expect(short.body.error.details[0]).toMatchObject({ path: 'password', code: 'too_small' });
    const address = email();
    const same = await server.api.post('/api/auth/register', { email: address, password: address, name: 'A' });
    expect(same.body.error.details[0]).toMatchObject({ path: 'password', code: 'password_is_email' });
  });

  it('refuses a taken email, whatever its case', async () => {
    const user = await buildUser(server);
    const res = await server.api.post('/api/auth/register', {
      email: user.email.toUpperCase(),
      password: 'another long one',
      name: 'B',
    });
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('email_taken');
  });

  it('stores an argon2id hash, never the password', async () => {
    const user = await buildUser(server);
    const row = await server.db.user.findUniqueOrThrow({ where: { id: user.id } });
    expect(row.passwordHash).toMatch(/^\$argon2id\$/);
    expect(row.passwordHash).not.toContain(user.password);
  });
});

describe('POST /api/auth/login', () => {
  it('answers wrong password and unknown email alike', async () => {
    const user = await buildUser(server);
    const wrong = await server.api.post('/api/auth/login', { email: user.email, password: 'wrong password!' });
    const unknown = await server.api.post('/api/auth/login', { email: email(), password: 'wrong password!' });
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(wrong.body).toEqual(unknown.body);
  });

  it('is rate-limited per email from one address', async () => {
    const user = await buildUser(server);
    const statuses: number[] = [];
    for (let i = 0; i < 11; i++) {
      statuses.push(
        (await server.api.post('/api/auth/login', { email: user.email, password: 'wrong password!' })).status,
      );
    }
    expect(statuses.slice(0, 10).every((s) => s === 401)).toBe(true);
    const limited = await server.api.post('/api/auth/login', { email: user.email, password: user.password });
    expect(limited.status).toBe(429);
    expect(limited.body.error.code).toBe('rate_limited');
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
  });
});

describe('GET /api/auth/me', () => {
  it('answers a user with their teams and roles, and apiKey: null', async () => {
    const user = await buildUser(server);
    const team = await buildTeam(server, user);
    const me = await server.api.as(user).get('/api/auth/me');
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({
      id: user.id,
      email: user.email,
      apiKey: null,
      teams: [{ id: team.id, role: 'owner' }],
    });
  });

  it('answers an API key with its creator, its one team at the role its scopes grant, and which key it is', async () => {
    const crew = await buildCrew(server);
    const secret = await buildApiKey(server, crew.team, crew.admin, ['read', 'write']);
    const me = await server.api.as(secret).get('/api/auth/me');
    expect(me.status).toBe(200);
    const key = (await server.api.as(crew.admin).get(`/api/teams/${crew.team.id}/api-keys`)).body.items[0];
    expect(me.body).toMatchObject({
      id: crew.admin.id,
      email: crew.admin.email,
      teams: [{ id: crew.team.id, role: 'editor' }],
      apiKey: {
        id: key.id,
        name: key.name,
        prefix: key.prefix,
        teamId: crew.team.id,
        scopes: ['read', 'write'],
        role: 'editor',
        expiresAt: null,
      },
    });
    expect(me.body.teams).toHaveLength(1);
    expect(JSON.stringify(me.body)).not.toContain(secret.split('_')[2]);

    // The creator's account deleted: the key still works and says so.
    await server.db.apiKey.update({ where: { id: key.id }, data: { createdById: null } });
    const orphan = await server.api.as(secret).get('/api/auth/me');
    expect(orphan.body).toMatchObject({ id: null, email: null, apiKey: { id: key.id } });

    // Revoked: the key is no credential any more.
    await server.api.as(crew.admin).delete(`/api/teams/${crew.team.id}/api-keys/${key.id}`);
    expectError(await server.api.as(secret).get('/api/auth/me'), 401, 'invalid_token');
  });
});

describe('access tokens', () => {
  it('requires authentication for /me', async () => {
    const res = await server.api.get('/api/auth/me');
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe('unauthenticated');
  });

  it('refuses tokens with another algorithm, issuer, audience or an expired one', async () => {
    const user = await buildUser(server);
    const claims = jwt.decode(user.accessToken) as jwt.JwtPayload;
    const secret = server.config.JWT_SECRET as string;
    const forge = (payload: object, options: jwt.SignOptions = {}) =>
      jwt.sign({ ...claims, ...payload }, secret, { algorithm: 'HS256', ...options });
    const unsigned = `${Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url')}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.`;
    const cases = [
      unsigned,
      forge({ iss: 'someone-else' }),
      forge({ aud: 'another-api' }),
      forge({ exp: Math.floor(Date.now() / 1000) - 10 }),
      jwt.sign({ ...claims }, 'a different secret that is long enough', { algorithm: 'HS256' }),
    ];
    for (const token of cases) {
      const res = await server.api.as(token).get('/api/auth/me');
      expect(res.status).toBe(401);
      expect(res.body.error.code).toBe('invalid_token');
    }
    // The same claims signed properly are accepted, so the cases above failed for their one flaw.
    expect((await server.api.as(forge({})).get('/api/auth/me')).status).toBe(200);
  });
});
