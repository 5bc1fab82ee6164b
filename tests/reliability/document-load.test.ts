// Loading a document with a large snapshot and a long log reads the snapshot once and each row
// once (as hex, as bytea travels in text results), measured on the wire between the update log and PostgreSQL (a counting proxy). The old
// query joined the snapshot to every row: 456 KB × 310 rows came to 135 MB per load.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import * as Y from 'yjs';
import { PgUpdateLog } from '../../src/models/documents/pg-update-log.ts';
import { buildComponent, buildDesignSystem, buildTeam, buildUser } from '../support/factories.ts';
import { pgWireProxy, type PgWireProxy } from '../support/pg-wire-proxy.ts';
import { startTestServer, type TestServer } from '../support/server.ts';

let server: TestServer;
let proxy: PgWireProxy;
let direct: PgUpdateLog;
let proxied: PgUpdateLog;
let name: string;

beforeAll(async () => {
  server = await startTestServer();
  const owner = await buildUser(server);
  const team = await buildTeam(server, owner);
  const ds = await buildDesignSystem(server, team, owner);
  const component = await buildComponent(server, ds.id, owner);
  name = `component:${component.id}`;
  const url = new URL(server.config.DATABASE_URL as string);
  proxy = await pgWireProxy(url.toString());
  direct = new PgUpdateLog(url.toString(), { poolSize: 2 });
  proxied = new PgUpdateLog(proxy.url, { poolSize: 4 });

  // A ~456 KB snapshot, then 310 rows after it.
  await direct.ensure(name, { teamId: team.id, designSystemId: ds.id, componentId: component.id });
  const doc = new Y.Doc();
  const updates: Uint8Array[] = [];
  doc.on('update', (u: Uint8Array) => updates.push(u));
  doc.getText('code').insert(0, 'a'.repeat(456 * 1024));
  await direct.append(name, updates.pop() as Uint8Array, null);
  await direct.compact(name);
  for (let i = 0; i < 310; i++) {
    doc.getText('code').insert(i, `edit ${i};`);
    await direct.append(name, updates.pop() as Uint8Array, null);
  }
}, 60_000);

afterAll(async () => {
  await proxied?.close();
  await direct?.close();
  await proxy?.close();
  await server?.close();
});

describe('document load', () => {
  it('reads the snapshot once and each log row once', async () => {
    // A first load opens the pool's connection (handshake bytes are not the load's).
    await proxied.load(name);
    proxy.reset();
    const stored = await proxied.load(name);
    const read = proxy.received();
    expect(stored.updates).toHaveLength(310);
    const payload = (stored.snapshot?.byteLength ?? 0) + stored.updates.reduce((n, u) => n + u.byteLength, 0);
    // bytea travels as hex (two characters a byte), plus row framing and the result header; never a
    // second copy of the snapshot.
    expect(read).toBeLessThan(payload * 2.2 + 64 * 1024);
    expect(read).toBeGreaterThanOrEqual(payload * 2);

    // Ten concurrent loads read ten times as much, no more.
    proxy.reset();
    await Promise.all(Array.from({ length: 10 }, () => proxied.load(name)));
    expect(proxy.received()).toBeLessThan(10 * (payload * 2.2 + 64 * 1024));
    console.log(
      `document load: snapshot ${((stored.snapshot?.byteLength ?? 0) / 1024).toFixed(0)} KiB + 310 rows: ${(read / 1024).toFixed(0)} KiB read per load`,
    );
  }, 30_000);
});
