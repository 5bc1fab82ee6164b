// Across nodes, relay first and acknowledge when durable: a client on node B sees an update made on
// node A as soon as A has checked it, not after A's commit; a relayed update whose node died before
// its commit is stored by a node that holds it; a node whose commit failed makes the others drop
// their copies and ask their clients to resync, so nothing exists only in a node's memory.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Redis } from 'ioredis';
import pg from 'pg';
import * as Y from 'yjs';
import { busMessage } from '../../../src/models/documents/doc-bus.ts';
import { testRun, testRedisUrl } from '../../support/database.ts';
import { buildComponent, buildCrew, buildDesignSystem } from '../../support/factories.ts';
import { call, connect, eventually, next, type Client } from '../../support/realtime.ts';
import { startTestServer, type TestServer } from '../../support/server.ts';
import { edit } from '../../support/yjs-client.ts';

let a: TestServer;
let b: TestServer;
let crew: Awaited<ReturnType<typeof buildCrew>>;
let ds: { id: string; teamId: string; name: string };
let redis: Redis;
let db: pg.Client;
const clients: Client[] = [];

beforeAll(async () => {
  const shared = {
    REDIS_KEY_PREFIX: `${testRun()}:relay:${randomBytes(4).toString('hex')}:`,
    JWT_SECRET: randomBytes(32).toString('hex'),
    MAX_CONNECTIONS_PER_USER: '100',
    SOCKET_RATE_LIMIT_PER_SECOND: '1000',
  };
  a = await startTestServer(shared);
  b = await startTestServer(shared);
  crew = await buildCrew(a);
  ds = await buildDesignSystem(a, crew.team, crew.owner);
  redis = new Redis(testRedisUrl());
  db = new pg.Client({ connectionString: a.config.DATABASE_URL });
  await db.connect();
});

afterAll(async () => {
  for (const c of clients) c.close();
  redis?.disconnect();
  await db?.end();
  await Promise.all([a?.close(), b?.close()]);
});

/** A Socket.IO client on `server` subscribed to `name`, with a replica of the document. */
async function subscriber(server: TestServer, name: string): Promise<{ socket: Client; doc: Y.Doc }> {
  const socket = await connect(server, crew.editor);
  clients.push(socket);
  const ack = await call(socket, 'doc-subscribe', { docName: name });
  expect(ack).toMatchObject({ ok: true });
  const doc = new Y.Doc();
  Y.applyUpdate(doc, new Uint8Array(ack.data.state));
  socket.on('doc-update', (p: { docName: string; update: ArrayBuffer }) => {
    if (p.docName === name) Y.applyUpdate(doc, new Uint8Array(p.update), 'remote');
  });
  return { socket, doc };
}

const stored = async (name: string): Promise<number> =>
  Number((await db.query('SELECT count(*) AS n FROM document_updates WHERE doc_name = $1', [name])).rows[0].n);

describe('relay first across nodes', () => {
  it('reaches a client of the other node while the commit is still waiting', async () => {
    const component = await buildComponent(a, ds.id, crew.owner, { code: '' });
    const name = `component:${component.id}`;
    const writer = await subscriber(a, name);
    const reader = await subscriber(b, name);
    const before = await stored(name);

    // Every INSERT into the log waits for this lock: A cannot commit until it is released.
    const blocker = new pg.Client({ connectionString: a.config.DATABASE_URL });
    await blocker.connect();
    try {
      await blocker.query('BEGIN');
      await blocker.query('LOCK TABLE document_updates IN EXCLUSIVE MODE');
      const update = edit(writer.doc, (d) => d.getText('code').insert(0, 'typed on A'));
      let acked = false;
      const ack = call(writer.socket, 'doc-update', { docName: name, update }, 15_000).then((r) => {
        acked = true;
        return r;
      });
      await eventually(() => reader.doc.getText('code').toString() === 'typed on A', 5000);
      expect(acked).toBe(false);
      expect(await stored(name)).toBe(before);
      await blocker.query('COMMIT');
      expect(await ack).toMatchObject({ ok: true });
      expect(await stored(name)).toBe(before + 1);
    } finally {
      await blocker.end();
    }
  });

  it('stores a relayed update whose node never committed it (the node that holds it adopts it)', async () => {
    const component = await buildComponent(a, ds.id, crew.owner, { code: '' });
    const name = `component:${component.id}`;
    const onB = await subscriber(b, name);
    const onA = await subscriber(a, name);
    const before = await stored(name);
    // What a node that died between its relay and its commit leaves behind: the relay alone.
    const orphan = edit(onB.doc, (d) => d.getText('code').insert(0, 'orphan'));
    await redis.publish(
      `${b.config.REDIS_KEY_PREFIX}doc:${name}`,
      busMessage(randomBytes(18).toString('hex'), 'relay', 0, orphan),
    );
    await eventually(() => onA.doc.getText('code').toString() === 'orphan', 5000);
    await eventually(async () => (await stored(name)) > before, 15_000, 200);
    // Adopted once per holding node at most, and the state is whole from the log alone.
    expect((await stored(name)) - before).toBeLessThanOrEqual(2);
    const fresh = new Y.Doc();
    const rows = await db.query('SELECT update FROM document_updates WHERE doc_name = $1 ORDER BY id', [name]);
    for (const row of rows.rows) Y.applyUpdate(fresh, new Uint8Array(row.update));
    expect(fresh.getText('code').toString()).toContain('orphan');
  }, 30_000);

  it('asks the clients of every node to resync when the relaying node could not commit', async () => {
    const component = await buildComponent(a, ds.id, crew.owner, { code: '' });
    const name = `component:${component.id}`;
    const onB = await subscriber(b, name);
    const resync = next(onB.socket, 'doc-resync', (p: { docName: string }) => p.docName === name, 10_000);
    await redis.publish(
      `${b.config.REDIS_KEY_PREFIX}doc:${name}`,
      busMessage(randomBytes(18).toString('hex'), 'dropped', 0, new Uint8Array(0)),
    );
    expect(await resync).toMatchObject({ docName: name, reason: 'reloaded' });
  });
});
