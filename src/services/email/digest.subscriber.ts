// A new mention or reply schedules its thread's email digest for the user (only with SMTP configured).
import type { EventBus } from '../events/bus.ts';
import { DIGEST_TYPES, type EmailDigestService } from './digest.service.ts';

/** Subscribes email digests to new notifications. */
export function subscribeEmailDigests(bus: EventBus, digests: EmailDigestService): void {
  bus.on('notification.created', async ({ payload }) => {
    const { type, payload: data } = payload.notification as { type?: string; payload?: { threadId?: unknown } };
    if (!type || !DIGEST_TYPES.includes(type) || typeof data?.threadId !== 'string') return;
    await digests.schedule(payload.userId, data.threadId);
  });
}
