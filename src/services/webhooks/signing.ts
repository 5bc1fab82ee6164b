// Webhook signatures: `Ensemble-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<body>")>`.
// docs/webhooks.md shows receivers how to verify (and to reject timestamps older than 5 minutes).
import { createHmac } from 'node:crypto';

/** The signature header for a body sent at `timestamp` (seconds). */
export function signatureHeader(secret: string, timestamp: number, body: string): string {
  return `t=${timestamp},v1=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}
