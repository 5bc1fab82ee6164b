// Email digests of unread mentions and replies, one per user and comment thread, as Liveblocks
// groups a thread's unread activity into one email. The first unread notification of a thread
// schedules a delayed job whose id names it, so the notifications that follow before the job runs
// join the same digest; the job emails what is still unread and not yet emailed, as the user's
// preferences are then, and marks it emailed.
//
// Delivery is at-least-once around the SMTP send: the rows are locked (FOR UPDATE SKIP LOCKED, so a
// second job on the same thread finds nothing to send) in a transaction that sends, then marks them
// emailed and commits. A refused or failed send rolls back and the job retries with backoff; only a
// crash between the relay's acceptance and the commit could send the same digest twice. Reading a
// notification while its digest is being sent waits for the send to finish.
//
// A digest that was never queued (Redis was down when the notification came, or a single node
// restarted and lost its in-process timers) is found by the sweep, which nodes that run jobs make
// every delay: pending notifications older than twice the delay (and younger than a day, so a first
// deploy does not email old news) get their digest scheduled; the job ids make it idempotent.
import type { Db, Notification, Prisma } from '../../models/db.ts';
import type { Mailer } from '../../models/mailer.ts';
import type { JobContext, JobQueue } from '../../workers/jobs.ts';
import type { Actor } from '../actor.ts';
import type { NotificationService } from '../notifications/notifications.service.ts';
import { can } from '../policy.ts';
import { digestHtml, digestSubject, digestText, type DigestItem } from './digest-email.ts';
import { digestMetrics, type DigestMetrics } from './digest-metrics.ts';
import { describeResource } from './digest-resources.ts';
import type { UnsubscribeLinks } from './unsubscribe-links.ts';

export interface DigestSettings {
  delayMs: number;
  attempts: number;
  backoffMs: number;
  /** The longest one SMTP step may take (connect, greeting, each reply). */
  smtpTimeoutMs: number;
}

type Tx = Prisma.TransactionClient;

/** The notification kinds a digest carries. */
export const DIGEST_TYPES = ['mention', 'reply'];

/** Pending notifications older than this are not swept into digests (old news on a first deploy). */
const SWEEP_MAX_AGE_MS = 24 * 60 * 60_000;

/** Unread, not yet emailed notifications of one user in one thread. */
const pending = (userId: string, threadId: string): Prisma.NotificationWhereInput => ({
  userId,
  readAt: null,
  emailedAt: null,
  type: { in: DIGEST_TYPES },
  payload: { path: ['threadId'], equals: threadId },
});

interface Payload {
  commentId?: string;
  resourceType?: string;
  resourceId?: string;
  designSystemId?: string;
  author?: { name?: string } | null;
  excerpt?: string;
}

/** Schedules and sends the digests. */
export class EmailDigestService {
  readonly metrics: DigestMetrics = digestMetrics();
  private readonly db: Db;
  private readonly queue: JobQueue;
  private readonly mailer: Mailer;
  private readonly notifications: NotificationService;
  private readonly links: UnsubscribeLinks;
  private readonly settings: DigestSettings;
  private base = 'http://localhost';
  private sweeper: NodeJS.Timeout | null = null;

  constructor(
    deps: { db: Db; queue: JobQueue; mailer: Mailer; notifications: NotificationService; links: UnsubscribeLinks },
    settings: DigestSettings,
  ) {
    this.db = deps.db;
    this.queue = deps.queue;
    this.mailer = deps.mailer;
    this.notifications = deps.notifications;
    this.links = deps.links;
    this.settings = settings;
  }

  /** The public base URL the links in emails start with (known once the server listens). */
  setPublicUrl(url: string): void {
    this.base = url.replace(/\/+$/, '');
  }

  /** Stops the sweep and closes the SMTP connections. */
  close(): void {
    if (this.sweeper) clearInterval(this.sweeper);
    this.sweeper = null;
    this.mailer.close();
  }

  /**
   * Schedules the digests that should be under way and are not (see the header); returns how many
   * user and thread pairs it looked at. Scheduling one that is queued already changes nothing.
   */
  async sweep(now = Date.now()): Promise<number> {
    const pairs = await this.db.$queryRaw<{ user_id: string; thread_id: string }[]>`
      SELECT DISTINCT user_id, payload->>'threadId' AS thread_id FROM notifications
      WHERE read_at IS NULL AND emailed_at IS NULL AND type IN ('mention', 'reply')
        AND payload->>'threadId' IS NOT NULL
        AND created_at < ${new Date(now - 2 * this.settings.delayMs)}
        AND created_at > ${new Date(now - SWEEP_MAX_AGE_MS)}
      LIMIT 1000`;
    for (const pair of pairs) await this.schedule(pair.user_id, pair.thread_id);
    return pairs.length;
  }

  /** Sweeps every delay (at least every second, at most every five minutes) until closed. */
  startSweeping(onError: (err: unknown) => void): void {
    const every = Math.min(5 * 60_000, Math.max(1000, this.settings.delayMs));
    this.sweeper ??= setInterval(() => void this.sweep().catch(onError), every).unref();
  }

  /** Schedules the digest that will carry the user's pending notifications of a thread (idempotent). */
  async schedule(userId: string, threadId: string): Promise<void> {
    if (!(await this.notifications.preferencesOf(userId)).emailDigests) return;
    const first = await this.db.notification.findFirst({
      where: pending(userId, threadId),
      orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
      select: { id: true, createdAt: true },
    });
    if (!first) return;
    // Named by the first pending notification: later ones join this job until it marks them emailed.
    await this.queue.enqueue(
      'notifications.digest',
      { userId, threadId },
      {
        jobId: `digest-${userId}-${threadId}-${first.id}`,
        delayMs: Math.max(0, first.createdAt.getTime() + this.settings.delayMs - Date.now()),
        attempts: this.settings.attempts,
        backoffMs: this.settings.backoffMs,
      },
    );
  }

  /** The job: sends the digest of what is still pending, honouring the preferences, and marks it. */
  async run(payload: { userId: string; threadId: string }, ctx: JobContext): Promise<void> {
    const { userId, threadId } = payload;
    const taken: string[] = [];
    try {
      const outcome = await this.db.$transaction((tx) => this.sendPending(tx, userId, threadId, taken), {
        // The send happens inside: room for its connect, greeting and replies.
        timeout: this.settings.smtpTimeoutMs * 4 + 10_000,
        maxWait: 10_000,
      });
      if (outcome) this.metrics.digests.inc({ outcome });
    } catch (err) {
      this.metrics.digests.inc({ outcome: ctx.final ? 'failed' : 'retried' });
      // Out of tries: the digest is given up (its notifications stay in the inbox), so that the
      // thread's next notification starts a new digest rather than joining this failed job.
      if (ctx.final && taken.length)
        await this.db.notification.updateMany({
          where: { id: { in: taken }, emailedAt: null },
          data: { emailedAt: new Date() },
        });
      throw new Error(`email digest not sent (attempt ${ctx.attempt}): ${(err as Error).message}`, { cause: err });
    }
    // What arrived while this one was being sent gets its own digest.
    await this.schedule(userId, threadId);
  }

  private async sendPending(
    tx: Tx,
    userId: string,
    threadId: string,
    taken: string[],
  ): Promise<'sent' | 'suppressed' | null> {
    const locked = await tx.$queryRaw<{ id: string }[]>`
      SELECT id FROM notifications
      WHERE user_id = ${userId}::uuid AND read_at IS NULL AND emailed_at IS NULL
        AND type IN ('mention', 'reply') AND payload->>'threadId' = ${threadId}
      ORDER BY created_at, id
      FOR UPDATE SKIP LOCKED`;
    if (!locked.length) return null;
    const ids = locked.map((r) => r.id);
    taken.push(...ids);
    const rows = await tx.notification.findMany({ where: { id: { in: ids } }, orderBy: [{ createdAt: 'asc' }] });
    const items = await this.itemsFor(tx, userId, threadId, rows);
    const user = await tx.user.findUnique({ where: { id: userId }, select: { email: true, name: true } });
    if (user && items.length) await this.mailer.send(await this.compose(tx, user, threadId, rows[0], items));
    // Held back by the preferences counts as handled too: turning them back on does not send old news.
    await tx.notification.updateMany({ where: { id: { in: ids } }, data: { emailedAt: new Date() } });
    return user && items.length ? 'sent' : 'suppressed';
  }

  /** The comments to email under the user's preferences now (deleted comments are left out). */
  private async itemsFor(tx: Tx, userId: string, threadId: string, rows: Notification[]): Promise<DigestItem[]> {
    const prefs = await this.notifications.preferencesOf(userId);
    if (!prefs.emailDigests || prefs.mutedThreads.includes(threadId)) return [];
    const wanted = rows.filter((n) => !prefs.mentionsOnly || n.type === 'mention');
    const commentIds = wanted.map((n) => (n.payload as Payload).commentId).filter((id): id is string => !!id);
    const [comments, memberships] = await Promise.all([
      tx.comment.findMany({
        where: { id: { in: commentIds }, deletedAt: null },
        select: { id: true, teamId: true, content: true, user: { select: { name: true } } },
      }),
      tx.teamMember.findMany({ where: { userId }, select: { teamId: true, role: true } }),
    ]);
    // Access as it is now, through the one policy: someone removed from the team since the mention
    // must not get the comment (as it reads now) by email.
    const reader: Actor = { kind: 'user', userId, roles: new Map(memberships.map((m) => [m.teamId, m.role])) };
    const byId = new Map(comments.filter((c) => can(reader, 'designSystem:read', c)).map((c) => [c.id, c]));
    return wanted.flatMap((n) => {
      const p = n.payload as Payload;
      const c = p.commentId ? byId.get(p.commentId) : undefined;
      if (!c) return [];
      const author = c.user?.name ?? p.author?.name ?? 'Someone';
      return [{ kind: n.type === 'mention' ? 'mention' : 'reply', author, text: c.content, at: n.createdAt }];
    });
  }

  private async compose(
    tx: Tx,
    user: { email: string; name: string },
    threadId: string,
    first: Notification | undefined,
    items: DigestItem[],
  ) {
    const p = (first?.payload ?? {}) as Payload;
    const resource = await describeResource(tx, p.resourceType ?? '', p.resourceId ?? '', p.designSystemId ?? '');
    const userId = first?.userId ?? '';
    const unsubscribeUrl = `${this.base}/api/notifications/unsubscribe?token=${this.links.token(userId)}`;
    const content = {
      recipient: user.name,
      resource: resource.label,
      threadUrl: `${this.base}/api/comments/${threadId}`,
      resourceUrl: `${this.base}${resource.path}`,
      unsubscribeUrl,
      items,
    };
    return {
      to: user.email,
      subject: digestSubject(content),
      text: digestText(content),
      html: digestHtml(content),
      // RFC 8058: mail clients offer a one-click unsubscribe that POSTs to this URL.
      headers: { 'List-Unsubscribe': `<${unsubscribeUrl}>`, 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' },
    };
  }
}
