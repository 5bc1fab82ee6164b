// Requests to an identity provider: JSON in, over the outbound guard (the token, UserInfo and JWKS
// endpoints come from the provider's discovery document, so they are checked like any URL a third
// party hands us), with a time cap and a size cap, and every failure to reach it (refused address,
// network, timeout, redirect, oversized or non-protocol answer, 5xx) told as `oidc_provider_unavailable`.
import type { z } from 'zod';
import { AppError } from '../../../utils/errors.ts';
import { guardedFetch, type OutboundPolicy } from '../../../utils/net-guard.ts';

/** How requests to providers are made. */
export interface ProviderOutbound {
  policy: OutboundPolicy;
  timeoutMs: number;
}

/** Discovery documents, key sets and token answers are a few kilobytes; a megabyte is plenty. */
export const MAX_PROVIDER_ANSWER_BYTES = 1024 * 1024;

/** An answer of the provider that is not JSON of the expected shape, or a failed request. */
export const providerUnavailable = (provider: string, why: string) =>
  new AppError('oidc_provider_unavailable', `The identity provider "${provider}" ${why}; try again later`);

/** Why a guarded request failed, in words for the message (never the URL's secrets: it has none). */
function whyFailed(err: unknown): string {
  if (err instanceof AppError && err.code === 'validation_failed')
    return 'is at an address outbound requests may not reach (OUTBOUND_ALLOW_HOSTS)';
  if (err instanceof AppError && err.code === 'payload_too_large')
    return `sent an answer larger than ${MAX_PROVIDER_ANSWER_BYTES} bytes`;
  return 'could not be reached';
}

/** Requests `url` and returns its status with the JSON body (null when it is not JSON). */
export async function fetchJson(
  provider: string,
  url: string,
  outbound: ProviderOutbound,
  init: { method?: 'GET' | 'POST'; headers?: Record<string, string>; body?: string } = {},
): Promise<{ status: number; body: unknown }> {
  let res: Awaited<ReturnType<typeof guardedFetch>>;
  try {
    res = await guardedFetch(url, outbound.policy, {
      method: init.method ?? 'GET',
      headers: {
        Accept: 'application/json',
        ...init.headers,
        ...(init.body !== undefined ? { 'Content-Length': String(Buffer.byteLength(init.body)) } : {}),
      },
      ...(init.body !== undefined ? { body: init.body } : {}),
      timeoutMs: outbound.timeoutMs,
      maxBytes: MAX_PROVIDER_ANSWER_BYTES,
    });
  } catch (err) {
    throw providerUnavailable(provider, whyFailed(err));
  }
  let body: unknown = null;
  try {
    body = JSON.parse(res.body.toString('utf8'));
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
  outbound: ProviderOutbound,
  what: string,
): Promise<z.output<S>> {
  const { status, body } = await fetchJson(provider, url, outbound);
  if (status !== 200) throw providerUnavailable(provider, `answered ${status} for its ${what}`);
  const parsed = schema.safeParse(body);
  if (!parsed.success) throw providerUnavailable(provider, `sent a malformed ${what}`);
  return parsed.data;
}
