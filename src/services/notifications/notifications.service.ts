// The notification inbox and preferences (mute a thread, mentions only, email digests).
import type { Db, Notification, Prisma } from '../../models/db.ts';
import { afterCursor, page } from '../../utils/cursor.ts';
import { notFound } from '../../utils/errors.ts';
import type { Actor } from '../actor.ts';
import type { EventBus } from '../events/bus.ts';
import { requireUser } from '../policy.ts';

export interface Preferences {
  mentionsOnly: boolean;
  mutedThreads: string[];
  /** Email digests of unread mentions and replies (docs/notifications.md). */
  emailDigests: boolean;
}

const view = (row: { mentionsOnly: boolean; mutedThreads: string[]; emailDigests: boolean } | null): Preferences => ({
  mentionsOnly: row?.mentionsOnly ?? false,
  mutedThreads: row?.mutedThreads ?? [],
  emailDigests: row?.emailDigests ?? true,
});

/** Presents a notification for the inbox and the live event. */
export function viewNotification(n: Notification) {
  return {
    id: n.id,
    type: n.type,
    teamId: n.teamId,
    payload: n.payload,
    read: n.readAt !== null,
    readAt: n.readAt?.toISOString() ?? null,
    createdAt: n.createdAt.toISOString(),
  };
}

/** Inbox, preferences, and delivery. */
export class NotificationService {
  private readonly db: Db;
  private readonly events: EventBus;

  constructor(db: Db, events: EventBus) {
    this.db = db;
    this.events = events;
  }

  /** The actor's notifications, newest first. */
  async list(actor: Actor, query: { unread: boolean; limit: number; cursor?: string | undefined }) {
    requireUser(actor);
    // Only of the teams they are in now: someone who left a team no longer reads its comment excerpts.
    const mine = { userId: actor.userId, OR: [{ teamId: null }, { teamId: { in: [...actor.roles.keys()] } }] };
    const rows = await this.db.notification.findMany({
      where: { ...mine, ...(query.unread ? { readAt: null } : {}), ...afterCursor(query.cursor, 'desc') },
      orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
      take: query.limit + 1,
    });
    const unreadCount = await this.db.notification.count({ where: { ...mine, readAt: null } });
    return { ...page(rows, query.limit), unreadCount };
  }

  /** Marks one notification read. */
  async markRead(actor: Actor, id: string): Promise<Notification> {
    requireUser(actor);
    const n = await this.db.notification.findFirst({ where: { id, userId: actor.userId } });
    if (!n) throw notFound();
    return n.readAt ? n : this.db.notification.update({ where: { id }, data: { readAt: new Date() } });
  }

  /** Marks every notification read; returns how many changed. */
  async markAllRead(actor: Actor): Promise<number> {
    requireUser(actor);
    return (
      await this.db.notification.updateMany({
        where: { userId: actor.userId, readAt: null },
        data: { readAt: new Date() },
      })
    ).count;
  }

  /** The actor's preferences. */
  async preferences(actor: Actor): Promise<Preferences> {
    requireUser(actor);
    return this.preferencesOf(actor.userId);
  }

  /** Changes the actor's preferences. */
  async setPreferences(actor: Actor, changes: Partial<Preferences>): Promise<Preferences> {
    requireUser(actor);
    const row = await this.db.notificationPreference.upsert({
      where: { userId: actor.userId },
      create: {
        userId: actor.userId,
        mentionsOnly: changes.mentionsOnly ?? false,
        mutedThreads: changes.mutedThreads ?? [],
        emailDigests: changes.emailDigests ?? true,
      },
      update: {
        ...(changes.mentionsOnly !== undefined ? { mentionsOnly: changes.mentionsOnly } : {}),
        ...(changes.mutedThreads ? { mutedThreads: changes.mutedThreads } : {}),
        ...(changes.emailDigests !== undefined ? { emailDigests: changes.emailDigests } : {}),
      },
    });
    return view(row);
  }

  /** Turns a user's email digests off (the signed unsubscribe link: no actor). */
  async stopEmailDigests(userId: string): Promise<Preferences> {
    const row = await this.db.notificationPreference.upsert({
      where: { userId },
      create: { userId, emailDigests: false },
      update: { emailDigests: false },
    });
    return view(row);
  }

  /** Preferences of any user (defaults when unset). */
  async preferencesOf(userId: string): Promise<Preferences> {
    return view(await this.db.notificationPreference.findUnique({ where: { userId } }));
  }

  /** Stores a notification and announces it for live delivery. */
  async deliver(userId: string, teamId: string, type: string, payload: Record<string, unknown>): Promise<void> {
    const n = await this.db.notification.create({
      data: { userId, teamId, type, payload: payload as Prisma.InputJsonValue },
    });
    this.events.publish('notification.created', { userId, notification: viewNotification(n) }, { userId: null });
  }
}
