// Requests to an identity provider: JSON in, a time cap, and every failure to reach it (network,
// timeout, 5xx, a body that is not what the protocol says) told as `oidc_provider_unavailable`.
import type { z } from 'zod';
import { AppError } from '../../../utils/errors.ts';

/** An answer of the provider that is not JSON of the expected shape, or a failed request. */
export const providerUnavailable = (provider: string, why: string) =>
  new AppError('oidc_provider_unavailable', `The identity provider "${provider}" ${why}; try again later`);

/** Fetches `url` and returns its status with the JSON body (null when it is not JSON). */
export async function fetchJson(
  provider: string,
  url: string,
  init: RequestInit & { timeoutMs: number },
): Promise<{ status: number; body: unknown }> {
  let res: Response;
  try {
    res = await fetch(url, {
      ...init,
      redirect: 'error',
      headers: { Accept: 'application/json', ...init.headers },
      signal: AbortSignal.timeout(init.timeoutMs),
    });
  } catch {
    throw providerUnavailable(provider, 'could not be reached');
  }
  const text = await res.text().catch(() => '');
  let body: unknown = null;
  try {
    body = JSON.parse(text);
  } catch {
    // not JSON: the caller decides by status
  }
  if (res.status >= 500) throw providerUnavailable(provider, `answered ${res.status}`);
  return { status: res.status, body };
}

/** Fetches a document that must be a 200 with JSON of `schema`'s shape. */
export async function fetchDocument<S extends z.ZodType>(
  provider: string,
  url: string,
  schema: S,
  timeoutMs: number,
  what: string,
): Promise<z.output<S>> {
  const { status, body } = await fetchJson(provider, url, { timeoutMs });
  if (status !== 200) throw providerUnavailable(provider, `answered ${status} for its ${what}`);
  const parsed = schema.safeParse(body);
  if (!parsed.success) throw providerUnavailable(provider, `sent a malformed ${what}`);
  return parsed.data;
}
