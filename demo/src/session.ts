// Signing in: the REST auth routes, the refresh token kept in sessionStorage (this tab only), and
// the SDK's token function built with createTokenRefresher (the refresh token rotates on every use).
import { createTokenRefresher, EnsembleError, type TokenPair } from '@ensemble/client';

const KEY = 'ensemble-demo-refresh';

export interface User {
  id: string;
  email: string;
  name: string;
  handle: string | null;
}

interface SessionBody extends TokenPair {
  user: User;
  refreshToken: string;
}

export interface Session {
  user: User;
  /** The SDK's token: a fresh access token on every call. */
  token: () => Promise<string>;
  /** The current refresh token (for sign-out). */
  refreshToken: () => string;
}

/** A JSON POST to the auth routes; failures as EnsembleError with the server's code. */
async function post<T>(path: string, body: unknown): Promise<T> {
  const res = await fetch(path, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (res.status === 204) return undefined as T;
  const json = (await res.json().catch(() => null)) as
    | (T & { error?: { code: string; message: string; details?: unknown } })
    | null;
  if (!res.ok)
    throw new EnsembleError(
      json?.error?.code ?? 'server_error',
      json?.error?.message ?? `${res.status} ${res.statusText}`,
      json?.error?.details,
    );
  return json as T;
}

function start(body: SessionBody): Session {
  let pair = body;
  sessionStorage.setItem(KEY, pair.refreshToken);
  const token = createTokenRefresher({
    initial: pair,
    refresh: async () => {
      pair = await post<SessionBody>('/api/auth/refresh', { refreshToken: pair.refreshToken });
      sessionStorage.setItem(KEY, pair.refreshToken);
      return pair;
    },
  });
  return { user: body.user, token, refreshToken: () => pair.refreshToken };
}

export async function signIn(email: string, password: string): Promise<Session> {
  return start(await post<SessionBody>('/api/auth/login', { email, password }));
}

export async function register(email: string, password: string, name: string): Promise<Session> {
  return start(await post<SessionBody>('/api/auth/register', { email, password, name }));
}

/** The session kept by this tab, if its refresh token still works. */
export async function resume(): Promise<Session | null> {
  const refreshToken = sessionStorage.getItem(KEY);
  if (!refreshToken) return null;
  try {
    return start(await post<SessionBody>('/api/auth/refresh', { refreshToken }));
  } catch {
    sessionStorage.removeItem(KEY);
    return null;
  }
}

export async function signOut(session: Session): Promise<void> {
  sessionStorage.removeItem(KEY);
  await post('/api/auth/logout', { refreshToken: session.refreshToken() }).catch(() => undefined);
}

/** The message to show for any failure. */
export function describe(err: unknown): string {
  if (err instanceof EnsembleError) {
    // Validation and live-rule failures list what was wrong in `details`.
    const problems = Array.isArray(err.details)
      ? err.details.flatMap((d: { message?: unknown }) => (typeof d?.message === 'string' ? [d.message] : []))
      : [];
    return `${err.message}${problems.length ? `: ${problems.slice(0, 3).join('; ')}` : ''} (${err.code})`;
  }
  return err instanceof Error ? err.message : String(err);
}
