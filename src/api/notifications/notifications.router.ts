// /api/notifications: the inbox and notification preferences.
import { z } from 'zod';
import type { Services } from '../../services/index.ts';
import { viewNotification } from '../../services/notifications/notifications.service.ts';
import type { OpenApiRegistry } from '../openapi/registry.ts';
import { PageQuery } from '../pagination.schema.ts';
import { Routes } from '../route.ts';
import { confirmPage, donePage } from './unsubscribe-page.ts';

const ListQuery = PageQuery.extend({
  unread: z
    .enum(['true', 'false'])
    .transform((v) => v === 'true')
    .default(false),
});
const Params = z.object({ id: z.uuid() });
const PreferencesBody = z
  .object({
    mentionsOnly: z.boolean().optional(),
    mutedThreads: z.array(z.uuid()).max(1000).optional(),
    emailDigests: z.boolean().optional(),
  })
  .refine((b) => b.mentionsOnly !== undefined || b.mutedThreads !== undefined || b.emailDigests !== undefined, {
    message: 'Give mentionsOnly, mutedThreads or emailDigests',
  });

const Preferences = z.object({
  mentionsOnly: z.boolean(),
  mutedThreads: z.array(z.uuid()),
  emailDigests: z.boolean(),
});

const UnsubscribeQuery = z.object({ token: z.string().min(1).max(200) });
const UnsubscribeStatus = z.object({ email: z.string(), emailDigests: z.boolean() });

/** The notification routes. */
export function notificationRoutes({ notifications, unsubscribe }: Services, registry: OpenApiRegistry) {
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
  r.get('/preferences', { summary: 'Your notification preferences', response: Preferences }, ({ actor }) =>
    notifications.preferences(actor),
  );
  r.put(
    '/preferences',
    {
      summary: 'Mute threads, receive mentions only, or turn email digests on or off',
      body: PreferencesBody,
      response: Preferences,
    },
    ({ actor, body }) => notifications.setPreferences(actor, body),
  );
  // The link in every digest (and its List-Unsubscribe header): no sign-in, the token is the credential.
  r.get(
    '/unsubscribe',
    {
      summary: 'Whether the signed link’s user gets email digests (an HTML page with a button for browsers)',
      auth: false,
      query: UnsubscribeQuery,
      response: UnsubscribeStatus,
      operationId: 'getEmailDigestSubscription',
    },
    async ({ query, req, res }) => {
      const status = await unsubscribe.status(query.token);
      if (req.accepts(['json', 'html']) !== 'html') return status;
      res.type('html').send(confirmPage(status, req.originalUrl));
    },
  );
  r.post(
    '/unsubscribe',
    {
      summary: 'Turn off the signed link’s user’s email digests (RFC 8058 one-click; any body is ignored)',
      auth: false,
      query: UnsubscribeQuery,
      status: 200,
      response: UnsubscribeStatus,
      operationId: 'unsubscribeEmailDigests',
    },
    async ({ query, req, res }) => {
      const status = await unsubscribe.unsubscribe(query.token);
      if (req.accepts(['json', 'html']) !== 'html') return status;
      res.type('html').send(donePage(status));
    },
  );
  r.post(
    '/:id/read',
    { summary: 'Mark one notification read', params: Params, status: 200 },
    async ({ actor, params }) => viewNotification(await notifications.markRead(actor, params.id)),
  );
  return r;
}
