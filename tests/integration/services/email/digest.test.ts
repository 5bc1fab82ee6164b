// Email digests end to end: comments over the REST API, the digest jobs on BullMQ run by the test
// server's worker, nodemailer speaking SMTP to a local smtp-server the test starts, and assertions on
// the messages that server received (parsed with mailparser).
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Queue, type Job } from 'bullmq';
import { Redis } from 'ioredis';
import type { ParsedMail } from 'mailparser';
import supertest from 'supertest';
import {
  addMember,
  buildComponent,
  buildCrew,
  buildDesignSystem,
  buildUser,
  type TestUser,
} from '../../../support/factories.ts';
import { eventually } from '../../../support/realtime.ts';
import { startTestServer, type TestServer } from '../../../support/server.ts';
import { startSmtpStandIn, type SmtpStandIn } from '../../../support/standins/smtp.ts';

// Long enough for a test to add a second comment or read a notification before its digest runs.
const DELAY_MS = 1500;

let smtp: SmtpStandIn;
let server: TestServer;
let crew: Awaited<ReturnType<typeof buildCrew>>;
let component: { id: string; name: string };
let redis: Redis;
let jobs: Queue;

beforeAll(async () => {
  smtp = await startSmtpStandIn();
  server = await startTestServer({
    SMTP_URL: smtp.url,
    EMAIL_FROM: 'Ensemble <notify@ensemble.test>',
    EMAIL_DIGEST_DELAY_MS: String(DELAY_MS),
    EMAIL_RETRY_BASE_MS: '100',
    EMAIL_MAX_ATTEMPTS: '30',
    OUTBOUND_TIMEOUT_MS: '3000',
    COMMENT_RATE_PER_MINUTE: '10000',
  });
  crew = await buildCrew(server);
  const ds = await buildDesignSystem(server, crew.team, crew.editor);
  component = await buildComponent(server, ds.id, crew.editor);
  redis = new Redis(server.config.REDIS_URL as string, { maxRetriesPerRequest: null });
  jobs = new Queue('notifications', { connection: redis, prefix: `${server.config.REDIS_KEY_PREFIX}bull` });
}, 30_000);

afterAll(async () => {
  await server?.close();
  await jobs?.close();
  await redis?.quit();
  await smtp?.close();
});

/** A new team member, so each test reads only its own mail. */
async function recipient(): Promise<TestUser> {
  const user = await buildUser(server);
  await addMember(server, crew.team, crew.owner, user, 'viewer');
  return user;
}

async function comment(author: TestUser, fields: { content: string; parentId?: string; mentions?: string[] }) {
  const res = await server.api
    .as(author)
    .post('/api/comments', { resourceType: 'component', resourceId: component.id, ...fields });
  expect(res.status).toBe(201);
  await server.services.events.drain();
  return res.body as { id: string };
}

const mailTo = (user: TestUser): ParsedMail[] =>
  smtp.messages.filter((m) => [m.to].flat().some((to) => to?.text.includes(user.email)));

/** A header as sent (unfolded), e.g. List-Unsubscribe. */
const rawHeader = (mail: ParsedMail | undefined, key: string): string => {
  const line = mail?.headerLines.find((h) => h.key === key)?.line ?? '';
  return line.replace(/\r?\n[ \t]+/g, ' ').replace(/^[^:]+:\s*/, '');
};

const digestsOf = (list: (Job | undefined)[], user: TestUser, threadId: string) =>
  list.filter((j): j is Job => j?.data.userId === user.id && j.data.threadId === threadId);

/** Waits until no digest job of the user and thread is waiting or running, and `done` have finished. */
async function settled(user: TestUser, threadId: string, done = 1): Promise<Job[]> {
  let finished: Job[] = [];
  await eventually(
    async () => {
      const open = digestsOf(await jobs.getJobs(['delayed', 'waiting', 'active', 'prioritized']), user, threadId);
      finished = digestsOf(await jobs.getJobs(['completed']), user, threadId);
      return open.length === 0 && finished.length >= done;
    },
    20_000,
    100,
  );
  return finished;
}

const unreadIn = async (user: TestUser, threadId: string) =>
  (await server.api.as(user).get('/api/notifications?unread=true&limit=100')).body.items.filter(
    (n: { payload: { threadId: string } }) => n.payload.threadId === threadId,
  );

describe('email digests', () => {
  it('sends one email per thread for mentions made within the delay, with both comments, text and HTML parts', async () => {
    const to = await recipient();
    const root = await comment(crew.editor, {
      content: 'First look <script>alert(1)</script> & "quotes"',
      mentions: [to.id],
    });
    await comment(crew.admin, { content: 'Second thought\non two lines', parentId: root.id, mentions: [to.id] });
    await settled(to, root.id);

    const mails = mailTo(to);
    expect(mails).toHaveLength(1);
    const [mail] = mails as [ParsedMail];
    expect(mail.subject).toBe(`2 new comments on component "${component.name}" (2 mentioning you)`);
    expect(mail.from?.value).toEqual([{ name: 'Ensemble', address: 'notify@ensemble.test' }]);
    expect(mail.text).toContain(`${crew.editor.name} mentioned you`);
    expect(mail.text).toContain('First look <script>alert(1)</script> & "quotes"');
    expect(mail.text).toContain(`${crew.admin.name} mentioned you`);
    expect(mail.text).toContain('  on two lines');
    expect(mail.text).toContain(`${server.url}/api/comments/${root.id}`);
    // The comment text is escaped in the HTML part, never markup.
    expect(mail.html).toContain('First look &#60;script&#62;alert(1)&#60;/script&#62; &#38; &#34;quotes&#34;');
    expect(mail.html).not.toContain('<script>');
    expect(mail.html).toContain(`href="${server.url}/api/design-systems/`);
    // RFC 8058 one-click unsubscribe headers, and the relay's credentials from SMTP_URL were used.
    expect(rawHeader(mail, 'list-unsubscribe-post')).toBe('List-Unsubscribe=One-Click');
    expect(rawHeader(mail, 'list-unsubscribe')).toMatch(
      /^<http:\/\/[^>]+\/api\/notifications\/unsubscribe\?token=[^>]+>$/,
    );
    expect(smtp.logins).toContain('ensemble');
    // Emailed is not read: the inbox still shows them unread.
    expect(await unreadIn(to, root.id)).toHaveLength(2);

    // A later mention in the thread: a digest of its own, without what was emailed already.
    await comment(crew.editor, { content: 'Third, after the digest', parentId: root.id, mentions: [to.id] });
    await settled(to, root.id, 2);
    expect(mailTo(to)).toHaveLength(2);
    expect(mailTo(to)[1]?.subject).toBe(`1 new comment on component "${component.name}" (you were mentioned)`);
    expect(mailTo(to)[1]?.text).toContain('Third, after the digest');
    expect(mailTo(to)[1]?.text).not.toContain('First look');
  });

  it('does not email a notification read before the delay; a later one in the thread gets its own digest', async () => {
    const to = await recipient();
    const root = await comment(crew.editor, { content: 'Read me in the app', mentions: [to.id] });
    const [unread] = await unreadIn(to, root.id);
    expect((await server.api.as(to).post(`/api/notifications/${unread.id}/read`)).status).toBe(200);
    await settled(to, root.id);
    expect(mailTo(to)).toHaveLength(0);

    await comment(crew.admin, { content: 'Still around?', parentId: root.id, mentions: [to.id] });
    await settled(to, root.id, 2);
    const mails = mailTo(to);
    expect(mails).toHaveLength(1);
    expect(mails[0]?.text).toContain('Still around?');
    expect(mails[0]?.text).not.toContain('Read me in the app');
  });

  it('does not email what a user removed from the team before the digest can no longer read', async () => {
    const to = await recipient();
    const root = await comment(crew.editor, { content: 'Secret roadmap, for the team only', mentions: [to.id] });
    const removed = await server.api.as(crew.owner).delete(`/api/teams/${crew.team.id}/members/${to.id}`);
    expect(removed.status).toBe(204);
    await settled(to, root.id);
    expect(mailTo(to)).toHaveLength(0);
  });

  it('honours mentionsOnly and muted threads as they are when the digest is sent', async () => {
    const to = await recipient();
    // `to` opened the thread, so replies notify them; then they ask for mentions only.
    const root = await comment(to, { content: 'My question' });
    await comment(crew.editor, { content: 'A plain reply', parentId: root.id });
    await comment(crew.admin, { content: 'A reply that mentions you', parentId: root.id, mentions: [to.id] });
    await server.api.as(to).put('/api/notifications/preferences', { mentionsOnly: true });
    await settled(to, root.id);
    const mails = mailTo(to);
    expect(mails).toHaveLength(1);
    expect(mails[0]?.subject).toBe(`1 new comment on component "${component.name}" (you were mentioned)`);
    expect(mails[0]?.text).toContain('A reply that mentions you');
    expect(mails[0]?.text).not.toContain('A plain reply');
    await server.api.as(to).put('/api/notifications/preferences', { mentionsOnly: false });

    const muted = await comment(crew.editor, { content: 'Mentioned, then muted', mentions: [to.id] });
    await server.api.as(to).put('/api/notifications/preferences', { mutedThreads: [muted.id] });
    await settled(to, muted.id);
    expect(mailTo(to)).toHaveLength(1);
  });

  it('turns digests off with the one-click link from the email; later mentions send nothing', async () => {
    const to = await recipient();
    const root = await comment(crew.editor, { content: 'Before unsubscribing', mentions: [to.id] });
    await settled(to, root.id);
    const [mail] = mailTo(to);
    const link = new URL(/<([^>]+)>/.exec(rawHeader(mail, 'list-unsubscribe'))?.[1] ?? 'invalid:');
    expect(link.origin).toBe(server.url);
    expect(mail?.text).toContain(link.href);

    const path = `${link.pathname}${link.search}`;
    const before = await supertest(server.url).get(path).set('Accept', 'application/json');
    expect(before.status).toBe(200);
    expect(before.body).toEqual({ email: expect.stringMatching(/^u….*@example\.test$/), emailDigests: true });
    // What a mail client sends for RFC 8058 one-click.
    const click = await supertest(server.url).post(path).type('form').send('List-Unsubscribe=One-Click');
    expect(click.status).toBe(200);
    expect(click.body.emailDigests).toBe(false);
    expect((await server.api.as(to).get('/api/notifications/preferences')).body.emailDigests).toBe(false);

    const after = await comment(crew.admin, { content: 'After unsubscribing', mentions: [to.id] });
    // No digest is even scheduled; the notification is still in the inbox.
    expect(digestsOf(await jobs.getJobs(['delayed', 'waiting', 'active', 'completed']), to, after.id)).toHaveLength(0);
    expect(await unreadIn(to, after.id)).toHaveLength(1);

    const tampered = path.replace(/.(?=$)/, (c) => (c === 'A' ? 'B' : 'A'));
    const refused = await supertest(server.url).post(tampered);
    expect(refused.status).toBe(403);
    expect(refused.body.error.code).toBe('invalid_unsubscribe_link');
  });

  it('retries while the SMTP server is down and delivers exactly once when it is back', async () => {
    const to = await recipient();
    await smtp.stop();
    const root = await comment(crew.editor, { content: 'Sent while the relay is down', mentions: [to.id] });
    // At least one try failed on the refused connection, and says so in the job and the metrics.
    let failedReason = '';
    await eventually(
      async () => {
        const [job] = digestsOf(await jobs.getJobs(['delayed', 'waiting', 'active']), to, root.id);
        failedReason = job?.failedReason ?? '';
        return (job?.attemptsMade ?? 0) >= 1;
      },
      20_000,
      50,
    );
    expect(failedReason).toMatch(/email digest not sent \(attempt \d+\)/);
    const metrics = await supertest(server.url).get('/metrics');
    expect(metrics.text).toMatch(/ensemble_email_digests_total\{outcome="retried"\} [1-9]/);
    expect(mailTo(to)).toHaveLength(0);

    await smtp.start();
    await settled(to, root.id);
    expect(mailTo(to)).toHaveLength(1);
    expect(mailTo(to)[0]?.text).toContain('Sent while the relay is down');
    expect((await supertest(server.url).get('/metrics')).text).toMatch(
      /ensemble_email_digests_total\{outcome="sent"\} [1-9]/,
    );
  });
});

describe('email digests in single-node mode', () => {
  it('are sent by the in-process queue after the delay, once per thread', async () => {
    const single = await startTestServer({
      REDIS_URL: '',
      SMTP_URL: smtp.url,
      EMAIL_FROM: 'notify@ensemble.test',
      EMAIL_DIGEST_DELAY_MS: String(DELAY_MS),
      COMMENT_RATE_PER_MINUTE: '10000',
    });
    try {
      const team = await buildCrew(single);
      const ds = await buildDesignSystem(single, team.team, team.editor);
      const c = await buildComponent(single, ds.id, team.editor);
      const post = (fields: Record<string, unknown>) =>
        single.api.as(team.editor).post('/api/comments', { resourceType: 'component', resourceId: c.id, ...fields });
      const root = await post({ content: 'Single node, first', mentions: [team.viewer.id] });
      await post({ content: 'Single node, second', parentId: root.body.id, mentions: [team.viewer.id] });
      await single.services.events.drain();
      await eventually(() => mailTo(team.viewer).length > 0, 20_000);
      // Marked emailed when the send's transaction commits: nothing left for another digest.
      await eventually(
        async () => (await single.db.notification.count({ where: { userId: team.viewer.id, emailedAt: null } })) === 0,
      );
      expect(mailTo(team.viewer)).toHaveLength(1);
      expect(mailTo(team.viewer)[0]?.text).toMatch(/Single node, first[\s\S]*Single node, second/);
    } finally {
      await single.close();
    }
  });
});

describe('a digest that was never queued', () => {
  it('is found by the sweep: a single node restarted before the delay, and the next one sends it', async () => {
    const settings = {
      REDIS_URL: '',
      SMTP_URL: smtp.url,
      EMAIL_FROM: 'notify@ensemble.test',
      EMAIL_DIGEST_DELAY_MS: String(DELAY_MS),
      COMMENT_RATE_PER_MINUTE: '10000',
    };
    const first = await startTestServer(settings);
    const team = await buildCrew(first);
    const ds = await buildDesignSystem(first, team.team, team.editor);
    const c = await buildComponent(first, ds.id, team.editor);
    const posted = await first.api.as(team.editor).post('/api/comments', {
      resourceType: 'component',
      resourceId: c.id,
      content: 'Before the restart',
      mentions: [team.viewer.id],
    });
    expect(posted.status).toBe(201);
    await first.services.events.drain();
    // The in-process timer of its digest goes with the process.
    await first.close();
    const second = await startTestServer(settings);
    try {
      await eventually(() => mailTo(team.viewer).length > 0, 20_000);
      await eventually(
        async () => (await second.db.notification.count({ where: { userId: team.viewer.id, emailedAt: null } })) === 0,
      );
      expect(mailTo(team.viewer)).toHaveLength(1);
      expect(mailTo(team.viewer)[0]?.text).toContain('Before the restart');
    } finally {
      await second.close();
    }
  });
});

describe('a digest out of tries', () => {
  it("is given up, counted as failed, and the thread's next mention starts a digest of its own", async () => {
    const few = await startTestServer({
      SMTP_URL: smtp.url,
      EMAIL_FROM: 'notify@ensemble.test',
      EMAIL_DIGEST_DELAY_MS: '200',
      EMAIL_MAX_ATTEMPTS: '2',
      EMAIL_RETRY_BASE_MS: '50',
      COMMENT_RATE_PER_MINUTE: '10000',
    });
    const connection = new Redis(few.config.REDIS_URL as string, { maxRetriesPerRequest: null });
    const queue = new Queue('notifications', { connection, prefix: `${few.config.REDIS_KEY_PREFIX}bull` });
    try {
      const team = await buildCrew(few);
      const ds = await buildDesignSystem(few, team.team, team.editor);
      const c = await buildComponent(few, ds.id, team.editor);
      const post = async (fields: Record<string, unknown>) => {
        const res = await few.api
          .as(team.editor)
          .post('/api/comments', { resourceType: 'component', resourceId: c.id, ...fields });
        await few.services.events.drain();
        return res.body as { id: string };
      };
      await smtp.stop();
      const root = await post({ content: 'Lost to a dead relay', mentions: [team.viewer.id] });
      // This test's digest only: the server's sweep may try other tests' leftovers too, and fail them.
      await eventually(
        async () => (await queue.getJobs(['failed'])).filter((j) => j.data.userId === team.viewer.id).length === 1,
        20_000,
      );
      expect((await supertest(few.url).get('/metrics')).text).toMatch(
        /ensemble_email_digests_total\{outcome="failed"\} [1-9]/,
      );
      await smtp.start();
      await post({ content: 'After the relay is back', parentId: root.id, mentions: [team.viewer.id] });
      await eventually(() => mailTo(team.viewer).length > 0, 20_000);
      expect(mailTo(team.viewer)[0]?.text).toContain('After the relay is back');
      expect(mailTo(team.viewer)[0]?.text).not.toContain('Lost to a dead relay');
    } finally {
      await smtp.start();
      await few.close();
      await queue.close();
      await connection.quit();
    }
  });
});
