// One change, one room event of seed 001's shape, from one place (the event bus): a live update
// through component-update reaches the others once as component-changed carrying the update; a
// field change once as component-changed with fields and version; a lock break over the socket is
// an activity entry and a webhook delivery like one over REST.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import * as Y from 'yjs';
import { buildComponent, buildCrew, buildDesignSystem } from '../support/factories.ts';
import { call, collect, eventually, joinDesignSystem, sleep, type Client } from '../support/realtime.ts';
import { startTestServer, type TestServer } from '../support/server.ts';
import { edit, yClient } from '../support/yjs-client.ts';

let server: TestServer;
let crew: Awaited<ReturnType<typeof buildCrew>>;
let ds: { id: string };
let open: Client[] = [];
let receiver: Server;
const deliveries: { event: string; body: string }[] = [];
beforeAll(async () => {
  receiver = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      deliveries.push({ event: String(req.headers['ensemble-event']), body });
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((ok) => receiver.listen(0, '127.0.0.1', ok));
  server = await startTestServer({ OUTBOUND_ALLOW_HOSTS: '127.0.0.1' });
  crew = await buildCrew(server);
  ds = await buildDesignSystem(server, crew.team, crew.editor);
});
afterEach(() => {
  for (const c of open) c.close();
  open = [];
});
afterAll(async () => {
  await server.close();
  await new Promise((ok) => receiver.close(ok));
});

const joined = async (who: { accessToken: string }) => (await joinDesignSystem(server, who, ds.id, open)).socket;

describe('one emitter', () => {
  it('a live component-update reaches the others once, carrying the update, and never the sender', async () => {
    const c = await buildComponent(server, ds.id, crew.editor, { code: 'abc' });
    const sender = await joined(crew.editor);
    const other = await joined(crew.viewer);
    const seenByOther = collect(other, 'component-changed');
    const seenBySender = collect(sender, 'component-changed');
    const update = edit(await yClient(server, `component:${c.id}`), (d) => d.getText('code').insert(3, 'def'));
    expect((await call(sender, 'component-update', { componentId: c.id, changes: update })).ok).toBe(true);
    await eventually(() => seenByOther.length > 0);
    await sleep(300);
    expect(seenByOther).toHaveLength(1);
    expect(seenBySender).toHaveLength(0);
    expect(seenByOther[0]).toMatchObject({ componentId: c.id, userId: crew.editor.id });
    const mirror = await yClient(server, `component:${c.id}`);
    Y.applyUpdate(mirror, new Uint8Array(seenByOther[0].changes));
    expect(mirror.getText('code').toString()).toBe('abcdef');
  });

  it('a field change reaches everyone once, with fields and version', async () => {
    const c = await buildComponent(server, ds.id, crew.editor, { code: 'one' });
    const sender = await joined(crew.editor);
    const other = await joined(crew.viewer);
    const seen = collect(other, 'component-changed');
    expect((await call(sender, 'component-update', { componentId: c.id, changes: { code: 'two' } })).ok).toBe(true);
    await eventually(() => seen.length > 0);
    await sleep(300);
    expect(seen).toEqual([{ componentId: c.id, changes: { fields: ['code'], version: 2 }, userId: crew.editor.id }]);
  });

  it('a refused live update emits nothing to the room', async () => {
    const c = await buildComponent(server, ds.id, crew.editor, { code: 'x' });
    const viewer = await joined(crew.viewer);
    const other = await joined(crew.admin);
    const seen = collect(other, 'component-changed');
    const update = edit(await yClient(server, `component:${c.id}`), (d) => d.getText('code').insert(0, 'no'));
    expect((await call(viewer, 'component-update', { componentId: c.id, changes: update })).error?.code).toBe(
      'forbidden',
    );
    await sleep(300);
    expect(seen).toHaveLength(0);
  });

  it('a lock break over the socket is one component-unlocked, an activity entry and a webhook delivery', async () => {
    const hook = await server.api.as(crew.owner).post(`/api/teams/${crew.team.id}/webhooks`, {
      url: `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`,
      events: ['component.unlocked'],
    });
    expect(hook.status).toBe(201);
    const c = await buildComponent(server, ds.id, crew.editor);
    const holder = await joined(crew.editor);
    const admin = await joined(crew.admin);
    const watcher = await joined(crew.viewer);
    expect((await call(holder, 'component-edit-start', { componentId: c.id })).ok).toBe(true);
    const unlocked = collect(watcher, 'component-unlocked');
    expect((await call(admin, 'component-lock-break', { componentId: c.id })).data).toEqual({ broken: true });
    await eventually(
      () => unlocked.length > 0 && deliveries.some((d) => d.event === 'component.unlocked' && d.body.includes(c.id)),
      8000,
    );
    await sleep(200);
    expect(unlocked).toEqual([
      { componentId: c.id, brokenBy: crew.admin.id, formerHolder: crew.editor.id, designSystemId: ds.id },
    ]);
    const activity = await server.api.as(crew.owner).get(`/api/teams/${crew.team.id}/activity`);
    expect(
      activity.body.items.some(
        (e: { action: string; resourceId: string }) => e.action === 'component.unlocked' && e.resourceId === c.id,
      ),
    ).toBe(true);
  });
});
