// The email preference and the signed unsubscribe routes, on a server without SMTP: the links of
// emails sent earlier keep working, and no digest job is ever queued.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import supertest from 'supertest';
import { UnsubscribeLinks } from '../../../../src/services/email/unsubscribe-links.ts';
import { expectError, expectInvalidField } from '../../../support/expect-error.ts';
import { buildComponent, buildCrew, buildDesignSystem } from '../../../support/factories.ts';
import { startTestServer, type TestServer } from '../../../support/server.ts';

let server: TestServer;
let crew: Awaited<ReturnType<typeof buildCrew>>;
let links: UnsubscribeLinks;

beforeAll(async () => {
  server = await startTestServer();
  crew = await buildCrew(server);
  links = new UnsubscribeLinks(server.config.JWT_SECRET as string);
}, 30_000);

afterAll(() => server?.close());

const at = (token: string) => `/api/notifications/unsubscribe?token=${encodeURIComponent(token)}`;

describe('email digest preference', () => {
  it('is on by default and set through the preferences route', async () => {
    expectError(await server.api.as(null).get('/api/notifications/preferences'), 401, 'unauthenticated');
    const user = server.api.as(crew.editor);
    expect((await user.get('/api/notifications/preferences')).body).toEqual({
      mentionsOnly: false,
      mutedThreads: [],
      emailDigests: true,
    });
    expect((await user.put('/api/notifications/preferences', { emailDigests: false })).body.emailDigests).toBe(false);
    expect((await user.put('/api/notifications/preferences', { emailDigests: true })).body.emailDigests).toBe(true);
    expectInvalidField(await user.put('/api/notifications/preferences', { emailDigests: 'no' }), 'emailDigests');
  });
});

describe('GET and POST /api/notifications/unsubscribe', () => {
  it('shows the state without changing it, then turns digests off with one POST, without signing in', async () => {
    const token = links.token(crew.viewer.id);
    const shown = await supertest(server.url).get(at(token));
    expect(shown.status).toBe(200);
    expect(shown.body).toEqual({ email: expect.stringMatching(/^u…@example\.test$/), emailDigests: true });
    // A browser gets a page whose one button POSTs the same link.
    const page = await supertest(server.url).get(at(token)).set('Accept', 'text/html');
    expect(page.type).toBe('text/html');
    expect(page.text).toContain(`<form method="post" action="${at(token).replace(/&/g, '&#38;')}">`);
    expect((await server.api.as(crew.viewer).get('/api/notifications/preferences')).body.emailDigests).toBe(true);

    const done = await supertest(server.url).post(at(token)).type('form').send('List-Unsubscribe=One-Click');
    expect(done.status).toBe(200);
    expect(done.body).toMatchObject({ emailDigests: false });
    expect((await server.api.as(crew.viewer).get('/api/notifications/preferences')).body).toMatchObject({
      emailDigests: false,
      mentionsOnly: false,
    });
    // Twice is fine; the HTML answer for the browser's form.
    const again = await supertest(server.url).post(at(token)).set('Accept', 'text/html');
    expect(again.status).toBe(200);
    expect(again.text).toContain('Unsubscribed');
  });

  it('refuses tampered, foreign and malformed links with invalid_unsubscribe_link; a missing token is a 400', async () => {
    const token = links.token(crew.admin.id);
    const [, signature] = token.split('.');
    const refused = [
      `${crew.owner.id}.${signature}`,
      token.replace(/.$/, (c) => (c === 'A' ? 'B' : 'A')),
      new UnsubscribeLinks('another server secret, 32+ characters').token(crew.admin.id),
      'garbage',
    ];
    for (const bad of refused) {
      expectError(await supertest(server.url).post(at(bad)), 403, 'invalid_unsubscribe_link');
      expectError(await supertest(server.url).get(at(bad)), 403, 'invalid_unsubscribe_link');
    }
    expect((await server.api.as(crew.admin).get('/api/notifications/preferences')).body.emailDigests).toBe(true);
    expectInvalidField(await supertest(server.url).post('/api/notifications/unsubscribe'), 'query.token');
    // A genuine link of a user who is gone.
    expectError(await supertest(server.url).post(at(links.token(randomUUID()))), 404, 'not_found');
  });

  it('is in the OpenAPI document as public operations', async () => {
    const doc = (await supertest(server.url).get('/api/openapi.json')).body;
    const path = doc.paths['/api/notifications/unsubscribe'];
    expect(path.get.operationId).toBe('getEmailDigestSubscription');
    expect(path.post.operationId).toBe('unsubscribeEmailDigests');
    expect(path.post.security).toEqual([]);
    // The preferences answer documents the emailDigests switch the unsubscribe turns off.
    const prefs = doc.paths['/api/notifications/preferences'];
    for (const op of [prefs.get, prefs.put]) {
      const schema = JSON.stringify(op.responses['200'].content['application/json'].schema);
      expect(schema).toContain('emailDigests');
    }
  });
});

describe('without SMTP_URL', () => {
  it('queues no digest job for a mention', async () => {
    expect(server.services.emailDigests).toBeNull();
    const ds = await buildDesignSystem(server, crew.team, crew.editor);
    const component = await buildComponent(server, ds.id, crew.editor);
    const res = await server.api.as(crew.editor).post('/api/comments', {
      resourceType: 'component',
      resourceId: component.id,
      content: 'No email for this',
      mentions: [crew.admin.id],
    });
    expect(res.status).toBe(201);
    await server.services.events.drain();
    const inbox = (await server.api.as(crew.admin).get('/api/notifications')).body.items;
    expect(inbox.some((n: { payload: { commentId: string } }) => n.payload.commentId === res.body.id)).toBe(true);
    const redis = new Redis(server.config.REDIS_URL as string, { maxRetriesPerRequest: null });
    const queue = new Queue('notifications', { connection: redis, prefix: `${server.config.REDIS_KEY_PREFIX}bull` });
    try {
      const counts = await queue.getJobCounts();
      expect(Object.values(counts).reduce((a, b) => a + b, 0)).toBe(0);
    } finally {
      await queue.close();
      await redis.quit();
    }
  });
});
