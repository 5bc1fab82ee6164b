// A token function for the refresh-token flow: hands out the current access token until shortly
// before it expires, then asks `refresh` for a new one (one call at a time, however many ask).
import { EnsembleError } from './errors.ts';
import type { TokenRequest } from './rest.ts';

export interface TokenPair {
  accessToken: string;
  /** Seconds the access token lives (as `POST /api/auth/login` and `/refresh` answer). */
  expiresIn?: number;
  refreshToken?: string;
}

export interface TokenRefresherOptions {
  /** Gets a fresh pair, e.g. `POST /api/auth/refresh { refreshToken }`; may rotate the refresh token. */
  refresh: () => Promise<TokenPair | string>;
  /** The pair the app already has (from signing in); otherwise the first call refreshes. */
  initial?: TokenPair;
  /** Refresh this long before expiry (default 30 s). */
  leewayMs?: number;
}

/** When a JWT says it expires (ms), or null for a token that is not one (an API key). */
function jwtExpiry(token: string): number | null {
  const payload = token.split('.')[1];
  if (!payload) return null;
  try {
    const json = JSON.parse(atob(payload.replace(/-/g, '+').replace(/_/g, '/'))) as { exp?: unknown };
    return typeof json.exp === 'number' ? json.exp * 1000 : null;
  } catch {
    return null;
  }
}

/**
 * Returns a function to pass as `token` to EnsembleClient (and to use for REST calls). It also
 * refreshes, whatever the leeway, when asked for a token expiring later than the one it holds (the
 * server's `reauth` names the expiry it is about to close the connection at).
 */
export function createTokenRefresher(options: TokenRefresherOptions): (request?: TokenRequest) => Promise<string> {
  const leeway = options.leewayMs ?? 30_000;
  let current: { token: string; expiresAt: number } | null = null;
  let running: Promise<string> | null = null;
  const keep = (pair: TokenPair | string): string => {
    const token = typeof pair === 'string' ? pair : pair.accessToken;
    if (!token) throw new EnsembleError('invalid_token', 'The refresh gave no access token');
    const stated = typeof pair === 'string' || pair.expiresIn === undefined ? null : Date.now() + pair.expiresIn * 1000;
    // The sooner of the two: `expiresIn` counted from now overstates a pair kept from an earlier
    // sign-in (or a slow answer), and the server goes by the token's own `exp`.
    current = {
      token,
      expiresAt: Math.min(stated ?? Number.POSITIVE_INFINITY, jwtExpiry(token) ?? Number.POSITIVE_INFINITY),
    };
    return token;
  };
  if (options.initial) keep(options.initial);
  return (request) => {
    const fresh = current !== null && current.expiresAt - leeway > Date.now();
    const lastsPast = current !== null && current.expiresAt > (request?.expiringAfter ?? Number.NEGATIVE_INFINITY);
    if (current && fresh && lastsPast) return Promise.resolve(current.token);
    running ??= options
      .refresh()
      .then(keep)
      .finally(() => (running = null));
    return running;
  };
}
