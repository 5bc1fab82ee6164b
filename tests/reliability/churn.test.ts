// Connection churn leaves nothing behind: after many clients came, joined, locked, subscribed,
// edited and left (over Socket.IO and y-websocket, some cleanly and some by dropping the socket),
// presence, locks, connection counts, gauges and live documents are back to zero.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Redis } from 'ioredis';
import { buildComponent, buildDesignSystem, buildTeam, buildUser, type TestUser } from '../support/factories.ts';
import { call, connect, eventually } from '../support/realtime.ts';
import { startTestServer, type TestServer } from '../support/server.ts';
import { provide } from '../support/yjs-provider.ts';
import { edit } from '../support/yjs-client.ts';
import * as Y from 'yjs';

const CYCLES = 60;
let server: TestServer;
let owner: TestUser;
let dsId: string;
let componentIds: string[];

beforeAll(async () => {
  server = await startTestServer({
    MAX_CONNECTIONS_PER_USER: '1000',
    SOCKET_RATE_LIMIT_PER_SECOND: '10000',
    DOC_IDLE_UNLOAD_SECONDS: '1',
  });
  owner = await buildUser(server);
  const team = await buildTeam(server, owner);
  dsId = (await buildDesignSystem(server, team, owner)).id;
  componentIds = (await Promise.all([0, 1, 2].map(() => buildComponent(server, dsId, owner)))).map((c) => c.id);
}, 30_000);
afterAll(() => server?.close());

async function gauge(name: string): Promise<number> {
  const text = await (await fetch(`${server.url}/metrics`)).text();
  return Number(text.match(new RegExp(`^${name} (\\d+)`, 'm'))?.[1] ?? NaN);
}

describe('churn', () => {
  it(`${CYCLES} connect / join / lock / edit / leave cycles per transport leave presence, locks, counts and documents at zero`, async () => {
    for (let i = 0; i < CYCLES; i++) {
      const componentId = componentIds[i % componentIds.length] as string;
      const docName = `component:${componentId}`;
      const socket = await connect(server, owner);
      expect((await call(socket, 'join-design-system', { designSystemId: dsId })).ok).toBe(true);
      await call(socket, 'component-edit-start', { componentId });
      const sub = await call(socket, 'doc-subscribe', { docName });
      expect(sub.ok).toBe(true);
      const doc = new Y.Doc();
      Y.applyUpdate(doc, new Uint8Array(sub.data.state));
      expect(
        (await call(socket, 'doc-update', { docName, update: edit(doc, (d) => d.getText('code').insert(0, `${i};`)) }))
          .ok,
      ).toBe(true);
      doc.destroy();
      const y = provide(server.url, docName, owner.accessToken);
      await y.synced;
      y.doc.getText('code').insert(0, 'y');
      // Half leave cleanly, half just vanish.
      if (i % 2) socket.close();
      else (socket.io.engine as unknown as { close(): void }).close();
      y.close();
    }
    await eventually(
      async () => (await gauge('realtime_connections')) === 0 && (await gauge('realtime_yjs_connections')) === 0,
      10_000,
    );
    // Presence and locks are released as each connection's close is handled, just after the gauges
    // count it gone (with the access check cached, the read can come in between): asked until empty.
    const presence = async () => (await server.api.as(owner).get(`/api/design-systems/${dsId}/presence`)).body;
    await eventually(async () => JSON.stringify(await presence()) === JSON.stringify({ users: [], locks: [] }), 5000);
    expect(await presence()).toEqual({ users: [], locks: [] });
    // The per-user connection count (what MAX_CONNECTIONS_PER_USER is checked against) is empty too.
    // Released just after the connection itself goes, so asked until it is.
    const redis = new Redis(server.config.REDIS_URL as string);
    await eventually(
      async () => (await redis.zcard(`${server.config.REDIS_KEY_PREFIX}uc:user:${owner.id}`)) === 0,
      5000,
    );
    redis.disconnect();
    // Idle documents leave memory (once nothing touched them for DOC_IDLE_UNLOAD_SECONDS).
    await eventually(
      async () => {
        await server.services.documents.unloadIdle();
        return (await gauge('live_documents')) === 0;
      },
      10_000,
      250,
    );
  }, 120_000);
});
