// Who hears about a comment: mentioned members (a `mention`) and the thread's other participants
// (a `reply`), exactly one notification each, minus the author, minus muted threads, and only
// mentions for those who asked for mentions only.
import type { Db } from '../../models/db.ts';
import type { CommentView } from '../comments/comment-view.ts';
import type { EventBus } from '../events/bus.ts';
import type { NotificationService } from './notifications.service.ts';

async function participants(db: Db, threadId: string): Promise<string[]> {
  const rows = await db.comment.findMany({
    where: { OR: [{ id: threadId }, { parentId: threadId }], userId: { not: null } },
    select: { userId: true },
  });
  return [...new Set(rows.map((r) => r.userId as string))];
}

async function notify(
  db: Db,
  notifications: NotificationService,
  event: {
    teamId: string;
    comment: CommentView;
    threadId: string;
    mentioned: string[];
    authorId: string | null;
    includeParticipants: boolean;
  },
) {
  const { comment, threadId, authorId } = event;
  const summary = {
    commentId: comment.id,
    threadId,
    resourceType: comment.resourceType,
    resourceId: comment.resourceId,
    designSystemId: comment.designSystemId,
    author: comment.author,
    excerpt: comment.content.slice(0, 200),
  };
  const recipients = new Map<string, 'mention' | 'reply'>();
  if (event.includeParticipants) for (const id of await participants(db, threadId)) recipients.set(id, 'reply');
  for (const id of event.mentioned) recipients.set(id, 'mention');
  if (authorId) recipients.delete(authorId);
  for (const [userId, type] of recipients) {
    const prefs = await notifications.preferencesOf(userId);
    if (prefs.mutedThreads.includes(threadId) || (prefs.mentionsOnly && type !== 'mention')) continue;
    await notifications.deliver(userId, event.teamId, type, summary);
  }
}

/** Subscribes notifications to comment events. */
export function subscribeNotifications(bus: EventBus, db: Db, notifications: NotificationService): void {
  bus.on('comment.created', ({ payload, actor }) =>
    notify(db, notifications, {
      teamId: payload.teamId,
      comment: payload.comment,
      threadId: payload.threadId,
      mentioned: payload.comment.mentions,
      authorId: actor.userId,
      includeParticipants: payload.comment.parentId !== null,
    }),
  );
  bus.on('comment.updated', ({ payload, actor }) =>
    notify(db, notifications, {
      teamId: payload.teamId,
      comment: payload.comment,
      threadId: payload.threadId,
      mentioned: payload.newMentions,
      authorId: actor.userId,
      includeParticipants: false,
    }),
  );
}
