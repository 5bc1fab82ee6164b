// Request bodies of /api/auth.
import { z } from 'zod';

export const RegisterBody = z.object({
  email: z.email().max(255),
  password: z.string().min(1).max(256),
  name: z.string().trim().min(1).max(255),
});

export const LoginBody = z.object({
  email: z.email().max(255),
  password: z.string().min(1).max(256),
});

export const RefreshBody = z.object({ refreshToken: z.string().min(1).max(512) });

export const ExchangeBody = z.object({ code: z.string().min(1).max(256) });

export const GithubStartQuery = z.object({
  /** Where the browser goes after sign-in, with `?code=…`: a path here or a URL on an app origin (AUTH_REDIRECT_ORIGINS). */
  redirect: z.string().min(1).max(2048).optional(),
});

/** Deleting an account is confirmed by typing one's email address. */
export const DeleteAccountBody = z.object({ confirmEmail: z.string().min(1).max(255) });

/** A configured OpenID Connect provider's name (`OIDC_PROVIDERS`). */
export const OidcParams = z.object({ provider: z.string().min(1).max(64) });

/** Starting an OpenID Connect sign-in takes the same `redirect` as GitHub's. */
export const OidcStartQuery = GithubStartQuery;

// What a provider's redirect carries. A malformed value is dropped rather than refused, so that the
// browser always lands back at the app with an `error` it can show.
const callbackValue = z.string().max(4096).optional().catch(undefined);
export const OidcCallbackQuery = z.object({
  /** The authorisation code. */
  code: callbackValue,
  /** The `state` sent with the authorisation request. */
  state: callbackValue,
  /** The provider's refusal (`access_denied`, …) instead of a code. */
  error: callbackValue,
  /** The issuer that answered (RFC 9207), when the provider says. */
  iss: callbackValue,
});
