// REST calls with the client's token: JSON in, JSON out, failures as EnsembleError with the
// server's code (docs/api.md).
import { EnsembleError } from './errors.ts';

/** What the SDK asks of a token function: a token expiring later than `expiringAfter` (ms), when it says. */
export interface TokenRequest {
  /** The server asked for a fresh token (`reauth`): one expiring at or before this will not do. */
  expiringAfter?: number;
}

export type TokenSource = string | ((request?: TokenRequest) => string | Promise<string>);

export interface RequestOptions {
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  body?: unknown;
  /** Query parameters (undefined ones are left out). */
  query?: Record<string, string | number | boolean | undefined>;
  signal?: AbortSignal;
}

export async function restRequest<T>(
  baseUrl: string,
  token: TokenSource,
  path: string,
  options: RequestOptions = {},
): Promise<T> {
  const url = new URL(path, baseUrl);
  for (const [key, value] of Object.entries(options.query ?? {}))
    if (value !== undefined) url.searchParams.set(key, String(value));
  const bearer = typeof token === 'function' ? await token() : token;
  const init: RequestInit = {
    method: options.method ?? (options.body === undefined ? 'GET' : 'POST'),
    headers: {
      authorization: `Bearer ${bearer}`,
      ...(options.body === undefined ? {} : { 'content-type': 'application/json' }),
    },
  };
  if (options.body !== undefined) init.body = JSON.stringify(options.body);
  if (options.signal) init.signal = options.signal;
  let response: Response;
  try {
    response = await fetch(url, init);
  } catch (err) {
    throw new EnsembleError(
      'service_unavailable',
      `${url.pathname}: ${err instanceof Error ? err.message : String(err)}`,
    );
  }
  if (response.status === 204) return undefined as T;
  const json = (await response.json().catch(() => null)) as {
    error?: { code?: string; message?: string; details?: unknown };
  } | null;
  if (!response.ok)
    throw new EnsembleError(
      json?.error?.code ?? 'server_error',
      json?.error?.message ?? `${response.status} ${response.statusText}`,
      json?.error?.details,
    );
  return json as T;
}
