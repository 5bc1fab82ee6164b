// The signed one-click unsubscribe: anyone holding a user's link may see whether their email digests
// are on and turn them off, without signing in. It works whether or not SMTP is configured now.
import type { Db } from '../../models/db.ts';
import { notFound } from '../../utils/errors.ts';
import type { NotificationService } from '../notifications/notifications.service.ts';
import type { UnsubscribeLinks } from './unsubscribe-links.ts';

/** What an unsubscribe link shows: whose digests (their address, partly hidden) and whether they are on. */
export interface UnsubscribeStatus {
  email: string;
  emailDigests: boolean;
}

/** Hides most of the local part: the page is reachable by whoever holds the link. */
const mask = (email: string) => email.replace(/^(.).*(@.*)$/, (_m, a: string, domain: string) => `${a}…${domain}`);

/** Checks unsubscribe tokens and performs the unsubscribe. */
export class UnsubscribeService {
  private readonly db: Db;
  private readonly notifications: NotificationService;
  private readonly links: UnsubscribeLinks;

  constructor(db: Db, notifications: NotificationService, links: UnsubscribeLinks) {
    this.db = db;
    this.notifications = notifications;
    this.links = links;
  }

  /** Whether the link's user gets digests; `invalid_unsubscribe_link` or `not_found` otherwise. */
  async status(token: string): Promise<UnsubscribeStatus> {
    const { userId, email } = await this.userOf(token);
    return { email: mask(email), emailDigests: (await this.notifications.preferencesOf(userId)).emailDigests };
  }

  /** Turns the link's user's email digests off (idempotent). */
  async unsubscribe(token: string): Promise<UnsubscribeStatus> {
    const { userId, email } = await this.userOf(token);
    return { email: mask(email), emailDigests: (await this.notifications.stopEmailDigests(userId)).emailDigests };
  }

  private async userOf(token: string): Promise<{ userId: string; email: string }> {
    const userId = this.links.verify(token);
    const user = await this.db.user.findUnique({ where: { id: userId }, select: { email: true } });
    if (!user) throw notFound('No such user');
    return { userId, email: user.email };
  }
}
