// /api/notifications: the inbox and notification preferences.
import { z } from 'zod';
import type { Services } from '../../services/index.ts';
import { viewNotification } from '../../services/notifications/notifications.service.ts';
import type { OpenApiRegistry } from '../openapi/registry.ts';
import { PageQuery } from '../pagination.schema.ts';
import { Routes } from '../route.ts';

const ListQuery = PageQuery.extend({
  unread: z
    .enum(['true', 'false'])
    .transform((v) => v === 'true')
    .default(false),
});
const Params = z.object({ id: z.uuid() });
const PreferencesBody = z
  .object({ mentionsOnly: z.boolean().optional(), mutedThreads: z.array(z.uuid()).max(1000).optional() })
  .refine((b) => b.mentionsOnly !== undefined || b.mutedThreads !== undefined, {
    message: 'Give mentionsOnly or mutedThreads',
  });

/** The notification routes. */
export function notificationRoutes({ notifications }: Services, registry: OpenApiRegistry) {
  const r = new Routes(registry, '/api/notifications', 'Notifications');
  r.get(
    '/',
    { summary: 'Your notifications, newest first (?unread=true for unread only)', query: ListQuery },
    async ({ actor, query }) => {
      const { items, nextCursor, unreadCount } = await notifications.list(actor, query);
      return { items: items.map(viewNotification), nextCursor, unreadCount };
    },
  );
  r.post('/read-all', { summary: 'Mark every notification read', status: 200 }, async ({ actor }) => ({
    updated: await notifications.markAllRead(actor),
  }));
  r.get('/preferences', { summary: 'Your notification preferences' }, ({ actor }) => notifications.preferences(actor));
  r.put(
    '/preferences',
    { summary: 'Mute threads or receive mentions only', body: PreferencesBody },
    ({ actor, body }) => notifications.setPreferences(actor, body),
  );
  r.post(
    '/:id/read',
    { summary: 'Mark one notification read', params: Params, status: 200 },
    async ({ actor, params }) => viewNotification(await notifications.markRead(actor, params.id)),
  );
  return r;
}
