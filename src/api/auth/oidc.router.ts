// Sign-in with OpenID Connect providers, shaped like GitHub's: no server sessions; the pending
// sign-in (state, nonce, PKCE verifier, redirect) lives in an encrypted, short-lived cookie scoped to
// the provider's path, and the browser leaves with a one-time code (never tokens) in its URL.
import type { Request, Response } from 'express';
import { z } from 'zod';
import { PENDING_TTL_MS, type PendingSignIn } from '../../services/auth/oidc.service.ts';
import type { Services } from '../../services/index.ts';
import { sha256 } from '../../utils/crypto.ts';
import { AppError, type ErrorCode } from '../../utils/errors.ts';
import { allowedRedirect } from '../../utils/redirects.ts';
import { SecretBox } from '../../utils/secret-box.ts';
import type { OpenApiRegistry } from '../openapi/registry.ts';
import { Routes } from '../route.ts';
import { OidcCallbackQuery, OidcParams, OidcStartQuery } from './auth.schema.ts';

export interface OidcRouteSettings {
  /** Absolute base URL of this server, for the callback. */
  publicUrl: string;
  successRedirect: string;
  /** Origins of apps the browser may be sent back to, besides this server's. */
  redirectOrigins: readonly string[];
  secret: string;
}

// One cookie per pending sign-in, named after its state, so two tabs signing in at once do not
// overwrite each other's; a callback whose state names no cookie has nothing to complete.
const cookieName = (state: string) => `ens_oidc_${sha256(state).slice(0, 16)}`;

const Pending = z.object({
  provider: z.string(),
  state: z.string(),
  nonce: z.string(),
  verifier: z.string(),
  redirect: z.string().optional(),
  expiresAt: z.number(),
});

function readCookie(req: Request, name: string): string | undefined {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k === name) return decodeURIComponent(v.join('='));
  }
  return undefined;
}

const ProvidersAnswer = z.object({
  providers: z.array(z.object({ name: z.string(), label: z.string(), url: z.string() })),
});

/** GET /api/auth/oidc, /api/auth/oidc/:provider and its callback. */
export function oidcRoutes(services: Services, registry: OpenApiRegistry, settings: OidcRouteSettings) {
  const r = new Routes(registry, '/api/auth/oidc', 'Auth');
  const box = new SecretBox(settings.secret, 'oidc-sign-in');
  const secure = settings.publicUrl.startsWith('https:');
  const callbackUrl = (provider: string) =>
    `${settings.publicUrl}/api/auth/oidc/${encodeURIComponent(provider)}/callback`;
  const cookiePath = (provider: string) => `/api/auth/oidc/${encodeURIComponent(provider)}`;
  const checkRedirect = (target: string) => allowedRedirect(target, settings.publicUrl, settings.redirectOrigins);

  const keep = (res: Response, pending: PendingSignIn) =>
    res.cookie(cookieName(pending.state), box.seal(JSON.stringify(pending)), {
      httpOnly: true,
      sameSite: 'lax',
      secure,
      maxAge: PENDING_TTL_MS,
      path: cookiePath(pending.provider),
    });
  // Read once: the cookie is cleared whatever the outcome, so a sign-in state is never used twice.
  const take = (
    req: Request,
    res: Response,
    provider: string,
    state: string | undefined,
  ): PendingSignIn | undefined => {
    if (!state) return undefined;
    const name = cookieName(state);
    const raw = readCookie(req, name);
    if (!raw) return undefined;
    res.clearCookie(name, { path: cookiePath(provider), httpOnly: true, sameSite: 'lax', secure });
    try {
      const parsed = Pending.safeParse(JSON.parse(box.open(raw)));
      return parsed.success ? parsed.data : undefined;
    } catch {
      return undefined;
    }
  };

  r.get(
    '/',
    { summary: 'The OpenID Connect providers one may sign in with', auth: false, response: ProvidersAnswer },
    () => ({
      providers: services.oidc.providers().map((p) => ({ ...p, url: `/api/auth/oidc/${p.name}` })),
    }),
  );
  r.get(
    '/:provider',
    {
      summary: 'Start sign-in with an OpenID Connect provider (redirects to it)',
      auth: false,
      params: OidcParams,
      query: OidcStartQuery,
      status: 302,
    },
    async ({ params, query, req, res }) => {
      if (query.redirect !== undefined && !checkRedirect(query.redirect)) {
        throw new AppError('validation_failed', 'redirect must be on this site or an allowed app origin', [
          {
            path: 'redirect',
            code: 'redirect_not_allowed',
            message: 'not this site or an origin in AUTH_REDIRECT_ORIGINS',
          },
        ]);
      }
      const { url, pending } = await services.oidc.begin(
        params.provider,
        callbackUrl(params.provider),
        query.redirect,
        req.ip ?? 'unknown',
      );
      keep(res, pending);
      res.redirect(302, url.href);
    },
  );
  r.get(
    '/:provider/callback',
    {
      summary: 'The provider redirects here; redirects on with a one-time code, or with ?error=<code>',
      auth: false,
      params: OidcParams,
      query: OidcCallbackQuery,
      status: 302,
    },
    async ({ params, query, req, res }) => {
      const pending = take(req, res, params.provider, query.state);
      // Checked again: the cookie is sealed, but the policy may have changed since.
      const fallback = checkRedirect(settings.successRedirect) ?? new URL('/', settings.publicUrl);
      const url = (pending?.redirect && checkRedirect(pending.redirect)) || fallback;
      try {
        const user = await services.oidc.complete(params.provider, pending, query, callbackUrl(params.provider));
        url.searchParams.set('code', await services.auth.issueSignInCode(user.id));
      } catch (err) {
        const code: ErrorCode = err instanceof AppError ? err.code : 'internal';
        req.log?.warn({ err, provider: params.provider, code }, 'oidc sign-in failed');
        url.searchParams.set('error', code);
      }
      res.redirect(302, url.href);
    },
  );
  return r;
}
