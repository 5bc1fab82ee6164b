// /api/teams/:id/webhooks: endpoints, their delivery log, a test send and secret rotation (admins).
import { z } from 'zod';
import { presentDelivery, presentWebhook } from '../../models/presenters/webhook.presenter.ts';
import type { Services } from '../../services/index.ts';
import { WEBHOOK_EVENTS } from '../../services/webhooks/webhook-events.ts';
import type { OpenApiRegistry } from '../openapi/registry.ts';
import { PageQuery } from '../pagination.schema.ts';
import { Routes } from '../route.ts';

const events = z
  .array(z.enum([...WEBHOOK_EVENTS, 'ping', '*']))
  .min(1)
  .max(50);
const TeamParams = z.object({ id: z.uuid() });
const HookParams = z.object({ id: z.uuid(), webhookId: z.uuid() });
const CreateBody = z.object({
  url: z.url().max(2000),
  events,
  secret: z.string().min(16).max(200).optional(),
  active: z.boolean().optional(),
});
const UpdateBody = z
  .object({ url: z.url().max(2000).optional(), events: events.optional(), active: z.boolean().optional() })
  .refine((b) => Object.keys(b).length > 0, { message: 'Give at least one field to change' });

/** The webhook routes. */
export function webhookRoutes({ webhooks }: Services, registry: OpenApiRegistry) {
  const r = new Routes(registry, '/api/teams/:id/webhooks', 'Webhooks');
  r.post(
    '/',
    {
      summary: 'Register an endpoint; the signing secret is shown only in this response',
      params: TeamParams,
      body: CreateBody,
    },
    async ({ actor, params, body }) => {
      const { webhook, secret } = await webhooks.create(actor, params.id, body);
      return { webhook: presentWebhook(webhook), secret };
    },
  );
  r.get('/', { summary: "A team's endpoints", params: TeamParams }, async ({ actor, params }) => ({
    items: (await webhooks.list(actor, params.id)).map(presentWebhook),
    nextCursor: null,
  }));
  r.get('/:webhookId', { summary: 'One endpoint', params: HookParams }, async ({ actor, params }) =>
    presentWebhook(await webhooks.get(actor, params.id, params.webhookId)),
  );
  r.patch(
    '/:webhookId',
    { summary: 'Change URL, events, or enable/disable', params: HookParams, body: UpdateBody },
    async ({ actor, params, body }) => presentWebhook(await webhooks.update(actor, params.id, params.webhookId, body)),
  );
  r.delete(
    '/:webhookId',
    { summary: 'Delete an endpoint', params: HookParams, status: 204 },
    async ({ actor, params }) => {
      await webhooks.remove(actor, params.id, params.webhookId);
    },
  );
  r.get(
    '/:webhookId/deliveries',
    { summary: 'Delivery log: status, attempts, response code', params: HookParams, query: PageQuery },
    async ({ actor, params, query }) => {
      const { items, nextCursor } = await webhooks.deliveries(actor, params.id, params.webhookId, query);
      return { items: items.map(presentDelivery), nextCursor };
    },
  );
  r.post(
    '/:webhookId/test',
    { summary: 'Send a ping delivery now', params: HookParams, status: 202 },
    async ({ actor, params }) => presentDelivery(await webhooks.test(actor, params.id, params.webhookId)),
  );
  r.post(
    '/:webhookId/rotate-secret',
    { summary: 'Replace the signing secret (shown once)', params: HookParams, status: 200 },
    async ({ actor, params }) => {
      const { webhook, secret } = await webhooks.rotateSecret(actor, params.id, params.webhookId);
      return { webhook: presentWebhook(webhook), secret };
    },
  );
  return r;
}
