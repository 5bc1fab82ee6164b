import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { buildApiKey, buildComponent, buildCrew, buildDesignSystem } from '../../../support/factories.ts';
import { expectError, expectHidden, expectInvalidField } from '../../../support/expect-error.ts';
import { eventually } from '../../../support/realtime.ts';
import { startTestServer, type TestServer } from '../../../support/server.ts';

/** The recipe from docs/webhooks.md, verbatim. */
function verifyEnsembleSignature(secret: string, header: string, rawBody: string) {
  const parts = Object.fromEntries(header.split(',').map((kv) => kv.split('=')));
  const t = Number(parts.t);
  if (!Number.isInteger(t) || Math.abs(Date.now() / 1000 - t) > 300) return false;
  const expected = createHmac('sha256', secret).update(`${t}.${rawBody}`).digest('hex');
  const given = parts.v1 ?? '';
  return given.length === expected.length && timingSafeEqual(Buffer.from(given), Buffer.from(expected));
}

interface Received {
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
}

let receiver: Server;
let receiverUrl: string;
const received: Received[] = [];
const failing = false;

// Run once on a single node (in-process queue) and once on Redis (BullMQ).
describe.each(['single-node', 'redis'] as const)('webhooks (%s)', (mode) => {
  let server: TestServer;
  let crew: Awaited<ReturnType<typeof buildCrew>>;

  beforeAll(async () => {
    if (!receiver) {
      receiver = createServer((req, res) => {
        let body = '';
        req.on('data', (c) => (body += c));
        req.on('end', () => {
          received.push({ path: req.url ?? '', headers: req.headers, body });
          res.writeHead(failing || req.url === '/broken' ? 500 : 204).end();
        });
      });
      await new Promise<void>((ok) => receiver.listen(0, '127.0.0.1', ok));
      receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
    }
    server = await startTestServer({
      OUTBOUND_ALLOW_HOSTS: '127.0.0.1',
      WEBHOOK_RETRY_BASE_MS: '20',
      WEBHOOK_MAX_ATTEMPTS: '3',
      WEBHOOK_DISABLE_AFTER: '2',
      ...(mode === 'single-node' ? { REDIS_URL: '' } : {}),
    });
    crew = await buildCrew(server);
  });
  afterAll(() => server.close());

  const hooks = () => `/api/teams/${crew.team.id}/webhooks`;

  it('checks authentication, team, role and body', async () => {
    const body = { url: `${receiverUrl}/a`, events: ['component.updated'] };
    expectError(await server.api.post(hooks(), body), 401, 'unauthenticated');
    expectHidden(await server.api.as(crew.outsider).post(hooks(), body));
    expectError(await server.api.as(crew.editor).post(hooks(), body), 403, 'forbidden');
    const key = await buildApiKey(server, crew.team, crew.admin, ['admin']);
    expectError(await server.api.as(key).post(hooks(), body), 403, 'user_required');
    expectInvalidField(await server.api.as(crew.admin).post(hooks(), { ...body, events: ['everything'] }), 'events.0');
  });

  it('refuses SSRF targets at registration', async () => {
    for (const url of [
      'http://169.254.169.254/latest/meta-data',
      'http://10.0.0.8/hook',
      'http://[::1]:80/x',
      'http://localhost:9/x',
      'file:///etc/passwd',
    ]) {
      const res = await server.api.as(crew.admin).post(hooks(), { url, events: ['*'] });
      expect([url, res.status]).toEqual([url, 400]);
    }
  });

  it('delivers signed events that verify with the documented recipe', async () => {
    const created = await server.api
      .as(crew.admin)
      .post(hooks(), { url: `${receiverUrl}/${mode}/ok`, events: ['component.updated', 'component.created'] });
    expect(created.status).toBe(201);
    const secret = created.body.secret as string;
    expect(secret).toMatch(/^whsec_/);
    const ds = await buildDesignSystem(server, crew.team, crew.editor);
    const c = await buildComponent(server, ds.id, crew.editor);
    await server.api.as(crew.editor).put(`/api/design-systems/${ds.id}/components/${c.id}`, { code: 'changed' });
    const mine = () => received.filter((r) => r.path === `/${mode}/ok`);
    await eventually(() => mine().length >= 2);
    for (const r of mine()) {
      expect(verifyEnsembleSignature(secret, r.headers['ensemble-signature'] as string, r.body)).toBe(true);
      expect(verifyEnsembleSignature('whsec_wrong', r.headers['ensemble-signature'] as string, r.body)).toBe(false);
      expect(verifyEnsembleSignature(secret, r.headers['ensemble-signature'] as string, `${r.body} `)).toBe(false);
    }
    const updated = mine()
      .map((r) => JSON.parse(r.body))
      .find((b) => b.event === 'component.updated');
    expect(updated.data).toMatchObject({ componentId: c.id, fields: ['code'], actor: { userId: crew.editor.id } });
    const log = await server.api.as(crew.admin).get(`${hooks()}/${created.body.webhook.id}/deliveries`);
    expect(
      log.body.items.every(
        (d: { status: string; responseStatus: number }) => d.status === 'succeeded' && d.responseStatus === 204,
      ),
    ).toBe(true);
  });

  it('retries a failing receiver, then disables the endpoint', async () => {
    const created = await server.api.as(crew.admin).post(hooks(), { url: `${receiverUrl}/broken`, events: ['ping'] });
    const id = created.body.webhook.id;
    const before = received.filter((r) => r.path === '/broken').length;
    expect((await server.api.as(crew.admin).post(`${hooks()}/${id}/test`)).status).toBe(202);
    await eventually(
      async () =>
        (await server.api.as(crew.admin).get(`${hooks()}/${id}/deliveries`)).body.items[0]?.status === 'failed',
    );
    expect(received.filter((r) => r.path === '/broken').length - before).toBe(3);
    const first = (await server.api.as(crew.admin).get(`${hooks()}/${id}/deliveries`)).body.items[0];
    expect(first).toMatchObject({ attempts: 3, responseStatus: 500, error: 'The endpoint answered 500' });
    expect((await server.api.as(crew.admin).get(`${hooks()}/${id}`)).body).toMatchObject({
      active: true,
      failureCount: 1,
    });
    await server.api.as(crew.admin).post(`${hooks()}/${id}/test`);
    await eventually(async () => (await server.api.as(crew.admin).get(`${hooks()}/${id}`)).body.active === false);
    expectError(await server.api.as(crew.admin).post(`${hooks()}/${id}/test`), 409, 'conflict');
    const enabled = await server.api.as(crew.admin).patch(`${hooks()}/${id}`, { active: true });
    expect(enabled.body).toMatchObject({ active: true, failureCount: 0, disabledAt: null });
  });

  it('refuses SSRF targets at delivery time too', async () => {
    const created = await server.api.as(crew.admin).post(hooks(), { url: `${receiverUrl}/late`, events: ['ping'] });
    // The address became private after registration (DNS rebinding): simulated by editing the row.
    await server.db.webhook.update({
      where: { id: created.body.webhook.id },
      data: { url: 'http://169.254.169.254/latest' },
    });
    await server.api.as(crew.admin).post(`${hooks()}/${created.body.webhook.id}/test`);
    await eventually(
      async () =>
        (await server.api.as(crew.admin).get(`${hooks()}/${created.body.webhook.id}/deliveries`)).body.items[0]
          ?.status === 'failed',
    );
    const d = (await server.api.as(crew.admin).get(`${hooks()}/${created.body.webhook.id}/deliveries`)).body.items[0];
    expect(d.error).toMatch(/private or reserved/);
    expect(d.responseStatus).toBeNull();
  });

  it('stores the secret encrypted and never shows it again', async () => {
    const created = await server.api.as(crew.admin).post(hooks(), { url: `${receiverUrl}/s`, events: ['*'] });
    const row = await server.db.webhook.findUniqueOrThrow({ where: { id: created.body.webhook.id } });
    expect(row.secretEncrypted).not.toContain(created.body.secret);
    const list = await server.api.as(crew.admin).get(hooks());
    expect(JSON.stringify(list.body)).not.toContain(created.body.secret);
  });
});

afterAll(async () => {
  if (!receiver) return;
  receiver.closeAllConnections();
  await new Promise<void>((ok) => receiver.close(() => ok()));
});
