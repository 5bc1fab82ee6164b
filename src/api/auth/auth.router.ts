// /api/auth: register, login, refresh, logout, me and the one-time code exchange.
import type { Request } from 'express';
import type { Services } from '../../services/index.ts';
import { roleForScopes } from '../../services/policy.ts';
import type { OpenApiRegistry } from '../openapi/registry.ts';
import { Routes } from '../route.ts';
import { DeleteAccountBody, ExchangeBody, LoginBody, RefreshBody, RegisterBody } from './auth.schema.ts';
import { presentApiKeyMe, presentUserMe } from './me.presenter.ts';
import { presentSession } from './session.presenter.ts';

const client = (req: Request) => ({ ip: req.ip ?? 'unknown', userAgent: req.headers['user-agent'] });

/** The auth routes. */
export function authRoutes(services: Services, registry: OpenApiRegistry) {
  const { auth, users, privacy, authenticator } = services;
  const ttl = services.settings.accessTokenTtlSeconds;
  const r = new Routes(registry, '/api/auth', 'Auth');

  r.post('/register', { summary: 'Create an account', auth: false, body: RegisterBody }, async ({ body, req }) =>
    presentSession(await auth.register(body, client(req)), ttl),
  );
  r.post(
    '/login',
    { summary: 'Sign in with email and password', auth: false, body: LoginBody, status: 200 },
    async ({ body, req }) => presentSession(await auth.login(body, client(req)), ttl),
  );
  r.post(
    '/refresh',
    { summary: 'Rotate a refresh token for a new token pair', auth: false, body: RefreshBody, status: 200 },
    async ({ body, req }) => presentSession(await auth.refresh(body.refreshToken, client(req)), ttl),
  );
  r.post(
    '/logout',
    { summary: 'Revoke the session of a refresh token', auth: false, body: RefreshBody, status: 204 },
    async ({ body }) => {
      await auth.logout(body.refreshToken);
    },
  );
  r.post(
    '/exchange',
    { summary: 'Exchange a one-time sign-in code for tokens', auth: false, body: ExchangeBody, status: 200 },
    async ({ body, req }) => presentSession(await auth.exchangeSignInCode(body.code, client(req)), ttl),
  );
  const meSummary = 'You: the user with their teams and roles; for an API key, its creator, its team and the key';
  r.get('/me', { summary: meSummary }, async ({ actor }) => {
    if (actor.kind === 'apiKey') {
      return presentApiKeyMe(await authenticator.keyIdentity(actor), roleForScopes(actor.scopes));
    }
    const { user, teams } = await users.me(actor);
    return presentUserMe(user, teams);
  });
  r.get('/me/export', { summary: 'Everything stored about you, as JSON (GDPR)' }, ({ actor }) =>
    privacy.exportUser(actor),
  );
  r.delete(
    '/me',
    {
      summary: 'Delete your account; your comments stay, shown as a deleted user',
      body: DeleteAccountBody,
      status: 204,
    },
    async ({ actor, body }) => {
      await privacy.deleteUser(actor, body.confirmEmail);
    },
  );
  return r;
}
