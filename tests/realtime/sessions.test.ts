// A connection's identity stays true while it is open: logout closes the session's Socket.IO and
// y-websocket connections within seconds, an expired access token gets no further writes, a token
// renewed in band (`reauth`, answered by the SDK's token function) keeps the connection, and a
// role change is read from the database, not from the token the connection opened with.
import { afterAll, afterEach, beforeAll, describe, expect, it, jest } from '@jest/globals';
import jwt from 'jsonwebtoken';
import * as Y from 'yjs';
import { createTokenRefresher, EnsembleClient } from '../../sdk/src/index.ts';
import { AccessTokens } from '../../src/services/auth/jwt.ts';
import {
  addMember,
  buildComponent,
  buildCrew,
  buildDesignSystem,
  buildUser,
  type TestUser,
} from '../support/factories.ts';
import { call, collect, connect, eventually, sleep, type Client } from '../support/realtime.ts';
import { startTestServer, type TestServer } from '../support/server.ts';
import { provide, type Provided } from '../support/yjs-provider.ts';

let server: TestServer;
let crew: Awaited<ReturnType<typeof buildCrew>>;
let ds: { id: string };
let sockets: Client[] = [];
let providers: Provided[] = [];
let clients: EnsembleClient[] = [];
beforeAll(async () => {
  jest.spyOn(console, 'warn').mockImplementation(() => undefined);
  server = await startTestServer();
  crew = await buildCrew(server);
  ds = await buildDesignSystem(server, crew.team, crew.editor);
});
afterEach(() => {
  for (const s of sockets) s.close();
  for (const p of providers) p.close();
  for (const c of clients) c.close();
  sockets = [];
  providers = [];
  clients = [];
});
afterAll(() => server.close());

/** An access token for `user`'s session that expires in `seconds`. */
function shortToken(user: TestUser, seconds: number): string {
  const { sid } = jwt.decode(user.accessToken) as { sid: string };
  const { JWT_SECRET, JWT_ISSUER, JWT_AUDIENCE } = server.config;
  return new AccessTokens({
    secret: JWT_SECRET as string,
    issuer: JWT_ISSUER,
    audience: JWT_AUDIENCE,
    ttlSeconds: seconds,
  }).sign({ sub: user.id, sid });
}

const update = (text: string) => {
  const doc = new Y.Doc();
  doc.getText('code').insert(0, text);
  return Y.encodeStateAsUpdate(doc);
};
const codeOf = (name: string) => server.services.documents.read(name, null, (d) => d.getText('code').toString());

describe('sessions of open connections', () => {
  it('logout closes that session’s sockets and /yjs connections within seconds, and no other session’s', async () => {
    const user = await buildUser(server);
    await addMember(server, crew.team, crew.owner, user, 'editor');
    const other = await server.services.auth.login(
      { email: user.email, password: user.password },
      { ip: 'other-device' },
    );
    const c = await buildComponent(server, ds.id, crew.editor);
    const name = `component:${c.id}`;
    const socket = await connect(server, user);
    const otherSocket = await connect(server, other.accessToken);
    sockets.push(socket, otherSocket);
    const revoked = collect(socket, 'access-revoked');
    const provider = provide(server.url, name, user.accessToken);
    providers.push(provider);
    await provider.synced;

    const started = Date.now();
    expect((await server.api.post('/api/auth/logout', { refreshToken: user.refreshToken })).status).toBe(204);
    await eventually(() => !socket.connected && provider.closes.includes(4401), 5000);
    expect(Date.now() - started).toBeLessThan(5000);
    expect(revoked).toContainEqual({ reason: 'session_revoked' });
    expect(provider.denied).toContain('session ended');
    // The provider reconnects with the revoked token and is refused at the upgrade.
    await sleep(300);
    expect(provider.provider.wsconnected).toBe(false);
    expect(otherSocket.connected).toBe(true);
  });

  it('an expired access token gets no further writes: the socket and the /yjs connection close at expiry', async () => {
    const c = await buildComponent(server, ds.id, crew.editor, { code: '' });
    const name = `component:${c.id}`;
    const token = shortToken(crew.editor, 2);
    const socket = await connect(server, token);
    sockets.push(socket);
    const errors = collect(socket, 'error');
    const asked = collect(socket, 'reauth');
    expect((await call(socket, 'doc-update', { docName: name, update: update('before;') })).ok).toBe(true);
    const provider = provide(server.url, name, token);
    providers.push(provider);
    await provider.synced;
    await eventually(() => !socket.connected, 5000);
    expect(asked.length).toBe(1);
    expect(errors).toContainEqual(expect.objectContaining({ code: 'token_expired' }));
    await eventually(() => provider.closes.includes(4401), 3000);
    provider.doc.getText('code').insert(0, 'after expiry;');
    await sleep(500);
    expect(await codeOf(name)).toBe('before;');
  });

  it("renews when asked even if the SDK's refresher leeway is shorter than the server's lead", async () => {
    // 2 s tokens: the server asks 0.5 s before expiry; no leeway would still call the token fresh.
    let refreshes = 0;
    const token = createTokenRefresher({
      initial: { accessToken: shortToken(crew.viewer, 2) },
      leewayMs: 0,
      refresh: async () => {
        refreshes++;
        return shortToken(crew.viewer, 2);
      },
    });
    const client = new EnsembleClient({ url: server.url, token, socket: { forceNew: true, reconnection: false } });
    clients.push(client);
    const disconnects: string[] = [];
    client.on('disconnected', (reason) => disconnects.push(reason));
    await client.ready();
    await sleep(4500); // two expiries
    expect({ connected: client.socket.connected, disconnects }).toEqual({ connected: true, disconnects: [] });
    expect(refreshes).toBeGreaterThanOrEqual(2);
  }, 15_000);

  it('keeps an SDK connection across token expiries with its token function, and reads a promotion from the database', async () => {
    const user = await buildUser(server);
    await addMember(server, crew.team, crew.owner, user, 'viewer');
    const c = await buildComponent(server, ds.id, crew.editor, { code: '' });
    const name = `component:${c.id}`;
    let issued = 0;
    const client = new EnsembleClient({
      url: server.url,
      token: () => {
        issued++;
        return shortToken(user, 2);
      },
      socket: { forceNew: true, reconnection: false },
    });
    clients.push(client);
    const disconnects: string[] = [];
    client.on('disconnected', (reason) => disconnects.push(reason));
    const live = await client.openDocument(name);
    expect(live.readOnly).toBe(true);
    await sleep(4500); // two expiries
    expect(client.socket.connected).toBe(true);
    expect(disconnects).toEqual([]);
    expect(issued).toBeGreaterThanOrEqual(3);

    const members = await server.api
      .as(crew.owner)
      .patch(`/api/teams/${crew.team.id}/members/${user.id}`, { role: 'editor' });
    expect(members.status).toBe(200);
    await sleep(300);
    const saved = new Promise<void>((resolve) => live.on('saved', resolve));
    live.doc.getText('code').insert(0, 'promoted;');
    await saved;
    expect(await codeOf(name)).toBe('promoted;');
    expect(client.socket.connected).toBe(true);
  }, 20_000);
});
