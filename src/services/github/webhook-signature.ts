// GitHub signs each webhook delivery with the hook's secret: `X-Hub-Signature-256: sha256=<hex HMAC
// of the raw body>`. The check is over the exact bytes received, compared in constant time.
import { createHmac, timingSafeEqual } from 'node:crypto';

/** The header value GitHub would send for this body and secret. */
export function signPayload(secret: string, body: Buffer | string): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

/** Whether `header` is the signature of `body` under `secret`. */
export function verifySignature(secret: string, body: Buffer, header: string | undefined): boolean {
  if (!header || !/^sha256=[0-9a-f]{64}$/i.test(header)) return false;
  const expected = Buffer.from(signPayload(secret, body));
  const given = Buffer.from(header.toLowerCase());
  return expected.length === given.length && timingSafeEqual(expected, given);
}
