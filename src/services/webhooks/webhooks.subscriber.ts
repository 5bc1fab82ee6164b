// Domain events → webhook deliveries for the teams that subscribed.
import type { EventBus, EventName } from '../events/bus.ts';
import { WEBHOOK_EVENTS } from './webhook-events.ts';
import type { WebhookService } from './webhooks.service.ts';

/** Subscribes webhooks to every event in the catalogue. */
export function subscribeWebhooks(bus: EventBus, webhooks: WebhookService): void {
  for (const name of WEBHOOK_EVENTS) {
    bus.on(name as EventName, async ({ payload, actor, at }) => {
      const { teamId } = payload as { teamId: string };
      await webhooks.dispatch(teamId, name, {
        ...payload,
        actor: { userId: actor.userId, apiKeyId: actor.apiKeyId ?? null },
        occurredAt: at.toISOString(),
      });
    });
  }
  // The team's endpoints went with it: no node keeps them cached.
  bus.on('team.deleted', ({ payload }) => webhooks.forgetTeam(payload.teamId));
}
