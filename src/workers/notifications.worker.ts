// The `notifications.digest` processor: thin, it calls the service.
import type { Services } from '../services/index.ts';
import type { JobQueue } from './jobs.ts';

/** Registers the email digest processor (only when SMTP is configured: otherwise none is queued). */
export function registerNotificationWorker(queue: JobQueue, services: Services): void {
  const digests = services.emailDigests;
  if (digests) queue.register('notifications.digest', (payload, ctx) => digests.run(payload, ctx));
}
