// Row → API JSON for webhooks and deliveries: never the secret.
import type { Webhook, WebhookDelivery } from '../db.ts';

/** The public view of a webhook endpoint. */
export function presentWebhook(w: Webhook) {
  return {
    id: w.id,
    teamId: w.teamId,
    url: w.url,
    events: w.events,
    active: w.active,
    failureCount: w.failureCount,
    disabledAt: w.disabledAt?.toISOString() ?? null,
    createdAt: w.createdAt.toISOString(),
    updatedAt: w.updatedAt.toISOString(),
  };
}

/** The public view of a delivery. */
export function presentDelivery(d: WebhookDelivery) {
  return {
    id: d.id,
    webhookId: d.webhookId,
    event: d.event,
    status: d.status,
    attempts: d.attempts,
    responseStatus: d.responseStatus,
    error: d.error,
    durationMs: d.durationMs,
    createdAt: d.createdAt.toISOString(),
    deliveredAt: d.deliveredAt?.toISOString() ?? null,
  };
}
