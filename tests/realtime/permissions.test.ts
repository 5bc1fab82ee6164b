import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import * as Y from 'yjs';
import {
  addMember,
  buildApiKey,
  buildComponent,
  buildCrew,
  buildDesignSystem,
  buildUser,
} from '../support/factories.ts';
import { call, connect, eventually, next, type Client } from '../support/realtime.ts';
import { startTestServer, type TestServer } from '../support/server.ts';
import { edit } from '../support/yjs-client.ts';
import { provide, type Provided } from '../support/yjs-provider.ts';

let server: TestServer;
let crew: Awaited<ReturnType<typeof buildCrew>>;
let ds: { id: string };
let sockets: Client[] = [];
let providers: Provided[] = [];
beforeAll(async () => {
  server = await startTestServer();
  crew = await buildCrew(server);
  ds = await buildDesignSystem(server, crew.team, crew.editor);
});
afterEach(() => {
  for (const s of sockets) s.close();
  for (const p of providers) p.close();
  sockets = [];
  providers = [];
});
afterAll(() => server.close());

async function member(role: 'editor' | 'viewer') {
  const user = await buildUser(server);
  await addMember(server, crew.team, crew.owner, user, role);
  return user;
}

describe('live permissions', () => {
  it('a removed member is cut off at once, without reconnecting', async () => {
    const c = await buildComponent(server, ds.id, crew.editor);
    const name = `component:${c.id}`;
    const user = await member('editor');
    const socket = await connect(server, user);
    sockets.push(socket);
    expect((await call(socket, 'join-design-system', { designSystemId: ds.id })).ok).toBe(true);
    expect((await call(socket, 'doc-subscribe', { docName: name })).ok).toBe(true);
    const yws = provide(server.url, name, user.accessToken);
    providers.push(yws);
    await yws.synced;
    const closed = new Promise<number>((resolve) =>
      yws.provider.ws?.addEventListener('close', (e) => resolve((e as { code: number }).code)),
    );

    const revoked = next(socket, 'access-revoked', (p) => p.designSystemId === ds.id);
    const revokedDoc = next(socket, 'access-revoked', (p) => p.docName === name);
    expect((await server.api.as(crew.owner).delete(`/api/teams/${crew.team.id}/members/${user.id}`)).status).toBe(204);
    await Promise.all([revoked, revokedDoc]);
    expect(await closed).toBe(4403);
    expect(socket.connected).toBe(true);
    expect((await call(socket, 'cursor-move', { x: 1, y: 1 })).error?.code).toBe('not_joined');
    expect((await call(socket, 'join-design-system', { designSystemId: ds.id })).error?.code).toBe('not_found');
    const doc = new Y.Doc();
    expect(
      (await call(socket, 'doc-update', { docName: name, update: edit(doc, (d) => d.getText('code').insert(0, 'x')) }))
        .error?.code,
    ).toBe('not_found');
  });

  it('a user added to a team while connected can join its design systems at once, without reconnecting', async () => {
    const user = await buildUser(server);
    const socket = await connect(server, user);
    sockets.push(socket);
    expect((await call(socket, 'join-design-system', { designSystemId: ds.id })).error?.code).toBe('not_found');
    await addMember(server, crew.team, crew.owner, user, 'editor');
    await eventually(async () => (await call(socket, 'join-design-system', { designSystemId: ds.id })).ok === true);
  });

  it('a team its creator made while connected is theirs on that connection too', async () => {
    const user = await buildUser(server);
    const socket = await connect(server, user);
    sockets.push(socket);
    const team = await server.api.as(user).post('/api/teams', { name: `Fresh ${Date.now()}` });
    expect(team.status).toBe(201);
    const made = await server.api.as(user).post('/api/design-systems', { teamId: team.body.id, name: 'Fresh DS' });
    expect(made.status).toBe(201);
    await eventually(
      async () => (await call(socket, 'join-design-system', { designSystemId: made.body.id })).ok === true,
    );
  });

  it('a member demoted to viewer can still read but no longer write, on both transports', async () => {
    const c = await buildComponent(server, ds.id, crew.editor, { code: 'base' });
    const name = `component:${c.id}`;
    const user = await member('editor');
    const socket = await connect(server, user);
    sockets.push(socket);
    await call(socket, 'join-design-system', { designSystemId: ds.id });
    const sub = await call(socket, 'doc-subscribe', { docName: name });
    const doc = new Y.Doc();
    Y.applyUpdate(doc, new Uint8Array(sub.data.state));
    expect(
      (await call(socket, 'doc-update', { docName: name, update: edit(doc, (d) => d.getText('code').insert(0, '1')) }))
        .ok,
    ).toBe(true);
    const yws = provide(server.url, name, user.accessToken);
    providers.push(yws);
    await yws.synced;

    expect(
      (await server.api.as(crew.owner).patch(`/api/teams/${crew.team.id}/members/${user.id}`, { role: 'viewer' }))
        .status,
    ).toBe(200);
    // Writes sent before the refresh lands are still accepted; count them, then expect the refusal.
    let accepted = 0;
    await eventually(async () => {
      const ack = await call(socket, 'doc-update', {
        docName: name,
        update: edit(doc, (d) => d.getText('code').insert(0, '2')),
      });
      if (ack.ok) accepted++;
      return ack.error?.code === 'forbidden';
    }, 3000);
    expect((await call(socket, 'component-edit-start', { componentId: c.id })).error?.code).toBe('forbidden');
    // The y-websocket connection stays open, read-only now.
    yws.doc.getText('code').insert(0, 'nope ');
    await new Promise((r) => setTimeout(r, 300));
    expect(await server.services.documents.read(name, null, (d) => d.getText('code').toString())).toBe(
      `${'2'.repeat(accepted)}1base`,
    );
    expect(yws.provider.wsconnected).toBe(true);
  });

  it('a revoked API key’s connections are closed', async () => {
    const secret = await buildApiKey(server, crew.team, crew.admin, ['write']);
    const socket = await connect(server, secret);
    sockets.push(socket);
    const gone = next(socket, 'disconnect');
    const keys = await server.api.as(crew.admin).get(`/api/teams/${crew.team.id}/api-keys`);
    const id = keys.body.items.find((k: { prefix: string }) => secret.includes(k.prefix)).id;
    await server.api.as(crew.admin).delete(`/api/teams/${crew.team.id}/api-keys/${id}`);
    await gone;
  });
});
