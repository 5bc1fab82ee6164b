// GitHub sign-in through passport-github2, without server sessions: the OAuth `state` lives in a
// signed, short-lived cookie, and the browser leaves with a one-time code (never tokens) in its URL.
import { createHmac, randomBytes } from 'node:crypto';
import type { Request, Response } from 'express';
import passport from 'passport';
import { Strategy as GitHubStrategy, type Profile, type StrategyOptions } from 'passport-github2';
import type { Services } from '../../services/index.ts';
import type { GithubProfile } from '../../services/auth/github.service.ts';
import { safeEqual } from '../../utils/crypto.ts';
import { AppError } from '../../utils/errors.ts';
import { allowedRedirect } from '../../utils/redirects.ts';
import type { OpenApiRegistry } from '../openapi/registry.ts';
import { Routes } from '../route.ts';
import { GithubStartQuery } from './auth.schema.ts';

export interface GithubSettings {
  clientId: string | undefined;
  clientSecret: string | undefined;
  authorizeUrl: string;
  tokenUrl: string;
  apiUrl: string;
  /** Absolute base URL of this server, for the callback. */
  publicUrl: string;
  successRedirect: string;
  /** Origins of apps the browser may be sent back to, besides this server's. */
  redirectOrigins: readonly string[];
  stateSecret: string;
}

const COOKIE = 'ens_oauth_state';
const STATE_TTL_MS = 10 * 60_000;

function readCookie(req: Request, name: string): string | undefined {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k === name) return decodeURIComponent(v.join('='));
  }
  return undefined;
}

/** Keeps the OAuth state in an HMAC-signed cookie: `nonce.expires.redirect.signature`. */
function cookieStateStore(secret: string) {
  const sign = (value: string) => createHmac('sha256', secret).update(value).digest('base64url');
  return {
    store(
      req: Request,
      state: { redirect?: string } | undefined,
      _meta: unknown,
      cb: (err: Error | null, handle?: string) => void,
    ) {
      const nonce = randomBytes(16).toString('base64url');
      const value = [nonce, Date.now() + STATE_TTL_MS, Buffer.from(state?.redirect ?? '').toString('base64url')].join(
        '.',
      );
      req.res?.cookie(COOKIE, `${value}.${sign(value)}`, {
        httpOnly: true,
        sameSite: 'lax',
        maxAge: STATE_TTL_MS,
        path: '/api/auth/github',
      });
      cb(null, nonce);
    },
    verify(
      req: Request,
      provided: string,
      _meta: unknown,
      cb: (err: Error | null, ok: boolean, state?: { redirect?: string }) => void,
    ) {
      const raw = readCookie(req, COOKIE) ?? '';
      req.res?.clearCookie(COOKIE, { path: '/api/auth/github' });
      const [nonce = '', expires = '0', redirect = '', signature = ''] = raw.split('.');
      const value = [nonce, expires, redirect].join('.');
      const ok = safeEqual(signature, sign(value)) && safeEqual(nonce, provided) && Number(expires) > Date.now();
      cb(null, ok, ok ? { redirect: Buffer.from(redirect, 'base64url').toString() || undefined } : undefined);
    },
  };
}

function toProfile(profile: Profile): GithubProfile {
  const raw = (profile.emails ?? []) as { value: string; primary?: boolean; verified?: boolean }[];
  const emails = raw
    .filter((e) => e.verified !== false)
    .sort((a, b) => Number(b.primary ?? false) - Number(a.primary ?? false));
  return {
    id: String(profile.id),
    login: profile.username ?? String(profile.id),
    name: profile.displayName || null,
    avatarUrl: profile.photos?.[0]?.value ?? null,
    emails: emails.map((e) => e.value),
  };
}

/** GET /api/auth/github and its callback. */
export function githubRoutes(services: Services, registry: OpenApiRegistry, settings: GithubSettings) {
  const r = new Routes(registry, '/api/auth/github', 'Auth');
  const configured = Boolean(settings.clientId && settings.clientSecret);
  const gate = new passport.Passport();
  if (configured) {
    gate.use(
      new GitHubStrategy(
        {
          clientID: settings.clientId as string,
          clientSecret: settings.clientSecret as string,
          callbackURL: `${settings.publicUrl}/api/auth/github/callback`,
          authorizationURL: settings.authorizeUrl,
          tokenURL: settings.tokenUrl,
          userProfileURL: `${settings.apiUrl}/user`,
          userEmailURL: `${settings.apiUrl}/user/emails`,
          scope: ['read:user', 'user:email'],
          allRawEmails: true,
          store: cookieStateStore(settings.stateSecret),
        } as StrategyOptions,
        (
          _accessToken: string,
          _refreshToken: string,
          profile: Profile,
          done: (err: Error | null, user?: Express.User) => void,
        ) => {
          services.github.userFor(toProfile(profile)).then((user) => done(null, user), done);
        },
      ),
    );
  }
  type Outcome = { user: { id: string } | false; redirect?: string | undefined };
  const run = (req: Request, res: Response, options: object) =>
    new Promise<Outcome>((resolve, reject) => {
      const done = (err: unknown, user: { id: string } | false, info?: { state?: { redirect?: string } }) =>
        err ? reject(err) : resolve({ user, redirect: info?.state?.redirect });
      gate.authenticate('github', { session: false, ...options }, done)(req, res, (err: unknown) =>
        err ? reject(err) : resolve({ user: false }),
      );
    });
  const requireConfigured = () => {
    if (!configured) throw new AppError('not_configured', 'GitHub sign-in is not configured (GITHUB_CLIENT_ID/SECRET)');
  };

  r.get(
    '/',
    { summary: 'Start GitHub sign-in (redirects to GitHub)', auth: false, query: GithubStartQuery, status: 302 },
    async ({ query, req, res }) => {
      requireConfigured();
      if (
        query.redirect !== undefined &&
        !allowedRedirect(query.redirect, settings.publicUrl, settings.redirectOrigins)
      ) {
        throw new AppError('validation_failed', 'redirect must be on this site or an allowed app origin', [
          {
            path: 'redirect',
            code: 'redirect_not_allowed',
            message: 'not this site or an origin in AUTH_REDIRECT_ORIGINS',
          },
        ]);
      }
      await run(req, res, { state: { redirect: query.redirect } });
    },
  );
  r.get(
    '/callback',
    { summary: 'GitHub redirects here; redirects on with a one-time code', auth: false, status: 302 },
    async ({ req, res }) => {
      requireConfigured();
      let outcome: Outcome;
      try {
        outcome = await run(req, res, {});
      } catch (err) {
        req.log?.warn({ err }, 'github sign-in failed');
        outcome = { user: false };
      }
      if (res.headersSent) return;
      // Checked again: the state cookie is signed, but the policy may have changed since.
      const fallback =
        allowedRedirect(settings.successRedirect, settings.publicUrl, settings.redirectOrigins) ??
        new URL('/', settings.publicUrl);
      const url =
        (outcome.redirect && allowedRedirect(outcome.redirect, settings.publicUrl, settings.redirectOrigins)) ||
        fallback;
      if (outcome.user) url.searchParams.set('code', await services.auth.issueSignInCode(outcome.user.id));
      else url.searchParams.set('error', 'oauth_failed');
      res.redirect(302, url.href);
    },
  );
  return r;
}
