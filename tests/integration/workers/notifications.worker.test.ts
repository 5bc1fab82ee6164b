// Split roles: a web node queues the digest, a worker node (same database and Redis prefix) sends
// it, and the links in the email start with PUBLIC_URL rather than either node's listen address.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import supertest from 'supertest';
import { buildComponent, buildCrew, buildDesignSystem } from '../../support/factories.ts';
import { eventually } from '../../support/realtime.ts';
import { startTestServer, testEnv, type TestServer } from '../../support/server.ts';
import { startSmtpStandIn, type SmtpStandIn } from '../../support/standins/smtp.ts';

let smtp: SmtpStandIn;
let web: TestServer;
let worker: TestServer;

beforeAll(async () => {
  smtp = await startSmtpStandIn();
  const env = await testEnv({
    SMTP_URL: smtp.url,
    EMAIL_FROM: 'notify@ensemble.test',
    EMAIL_DIGEST_DELAY_MS: '300',
    PUBLIC_URL: 'https://ensemble.example',
  });
  web = await startTestServer({ ...env, ENSEMBLE_ROLE: 'web' });
  worker = await startTestServer({ ...env, ENSEMBLE_ROLE: 'worker' });
}, 30_000);

afterAll(async () => {
  await web?.close();
  await worker?.close();
  await smtp?.close();
});

describe('the notifications.digest worker', () => {
  it('sends what the web node queued, with links under PUBLIC_URL', async () => {
    const crew = await buildCrew(web);
    const ds = await buildDesignSystem(web, crew.team, crew.editor);
    const component = await buildComponent(web, ds.id, crew.editor);
    const res = await web.api.as(crew.editor).post('/api/comments', {
      resourceType: 'component',
      resourceId: component.id,
      content: 'Queued on web, sent by the worker',
      mentions: [crew.viewer.id],
    });
    expect(res.status).toBe(201);
    // Only this test's recipient: the worker also sweeps up digests other tests' servers (without
    // SMTP) left unqueued in the same database.
    const mine = () => smtp.messages.filter((m) => [m.to].flat()[0]?.text.includes(crew.viewer.email));
    await eventually(() => mine().length > 0, 20_000);
    const [mail] = mine();
    expect(mail?.text).toContain(`https://ensemble.example/api/comments/${res.body.id}`);
    expect(mail?.text).toContain('https://ensemble.example/api/notifications/unsubscribe?token=');
    // Counted once the send's transaction commits, a moment after the relay has the message.
    const sent = /ensemble_email_digests_total\{outcome="sent"\} [1-9]/;
    await eventually(async () => sent.test((await supertest(worker.url).get('/metrics')).text));
    expect((await supertest(web.url).get('/metrics')).text).not.toMatch(sent);
  });
});
