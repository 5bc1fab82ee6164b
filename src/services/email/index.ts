// Builds the email pieces: the unsubscribe service always (old links keep working), and the digests
// only when SMTP_URL is set: without it no job is queued and nothing is sent.
import type { Config } from '../../config/config.ts';
import type { Db } from '../../models/db.ts';
import { smtpMailer } from '../../models/mailer.ts';
import type { JobQueue } from '../../workers/jobs.ts';
import type { EventBus } from '../events/bus.ts';
import type { NotificationService } from '../notifications/notifications.service.ts';
import { EmailDigestService } from './digest.service.ts';
import { subscribeEmailDigests } from './digest.subscriber.ts';
import { UnsubscribeLinks } from './unsubscribe-links.ts';
import { UnsubscribeService } from './unsubscribe.service.ts';

/** The digest service (null when email is off) and the unsubscribe service. */
export function createEmail(
  config: Config,
  deps: { db: Db; queue: JobQueue; events: EventBus; notifications: NotificationService; secret: string },
): { emailDigests: EmailDigestService | null; unsubscribe: UnsubscribeService } {
  const links = new UnsubscribeLinks(deps.secret);
  const unsubscribe = new UnsubscribeService(deps.db, deps.notifications, links);
  if (!config.SMTP_URL) return { emailDigests: null, unsubscribe };
  const mailer = smtpMailer(config.SMTP_URL, config.EMAIL_FROM as string, config.OUTBOUND_TIMEOUT_MS);
  const emailDigests = new EmailDigestService(
    { db: deps.db, queue: deps.queue, mailer, notifications: deps.notifications, links },
    {
      delayMs: config.EMAIL_DIGEST_DELAY_MS,
      attempts: config.EMAIL_MAX_ATTEMPTS,
      backoffMs: config.EMAIL_RETRY_BASE_MS,
      smtpTimeoutMs: config.OUTBOUND_TIMEOUT_MS,
    },
  );
  subscribeEmailDigests(deps.events, emailDigests);
  return { emailDigests, unsubscribe };
}
