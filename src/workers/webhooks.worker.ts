// The `webhooks.deliver` processor: thin, it calls the service.
import type { Services } from '../services/index.ts';
import type { JobQueue } from './jobs.ts';

/** Registers the webhook delivery processor. */
export function registerWebhookWorker(queue: JobQueue, services: Services): void {
  queue.register('webhooks.deliver', ({ deliveryId }, ctx) => services.webhooks.deliver(deliveryId, ctx));
}
