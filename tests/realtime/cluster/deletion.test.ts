// Deleting a team, a design system or a component removes every document row and update of it and
// closes its live connections on both nodes of a cluster, with a clear reason.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { EnsembleClient, type EnsembleError } from '../../../sdk/src/index.ts';
import { testRun } from '../../support/database.ts';
import { buildComponent, buildDesignSystem, buildTeam, buildUser, type TestUser } from '../../support/factories.ts';
import { eventually } from '../../support/realtime.ts';
import { startTestServer, type TestServer } from '../../support/server.ts';
import { provide, type Provided } from '../../support/yjs-provider.ts';

let a: TestServer;
let b: TestServer;
let owner: TestUser;
const providers: Provided[] = [];
const clients: EnsembleClient[] = [];

beforeAll(async () => {
  jest.spyOn(console, 'warn').mockImplementation(() => undefined);
  const shared = {
    REDIS_KEY_PREFIX: `${testRun()}:deletion:${randomBytes(4).toString('hex')}:`,
    JWT_SECRET: randomBytes(32).toString('hex'),
  };
  a = await startTestServer(shared);
  b = await startTestServer(shared);
  owner = await buildUser(a);
});
afterAll(async () => {
  for (const p of providers) p.close();
  for (const c of clients) c.close();
  await Promise.all([a?.close(), b?.close()]);
});

const rowsOf = async (names: string[]) => {
  const [docs] = await a.db.$queryRaw<{ n: bigint }[]>`SELECT count(*) AS n FROM documents WHERE name = ANY(${names})`;
  const [updates] = await a.db.$queryRaw<
    { n: bigint }[]
  >`SELECT count(*) AS n FROM document_updates WHERE doc_name = ANY(${names})`;
  return { documents: Number(docs?.n), updates: Number(updates?.n) };
};

/** Live connections to `name` on both nodes: a stock provider and an SDK document on each. */
async function connectEverywhere(name: string) {
  const ys = [provide(a.url, name, owner.accessToken), provide(b.url, name, owner.accessToken)];
  providers.push(...ys);
  await Promise.all(ys.map((p) => p.synced));
  const revoked: string[] = [];
  const docs: { pending: number }[] = [];
  for (const node of [a, b]) {
    const c = new EnsembleClient({
      url: node.url,
      token: owner.accessToken,
      socket: { forceNew: true, reconnection: false },
    });
    clients.push(c);
    const live = await c.openDocument(name);
    live.on('error', (err: EnsembleError) => revoked.push(err.code));
    live.doc.getText('code').insert(0, 'edit;');
    docs.push(live);
  }
  ys[0]?.doc.getText('code').insert(0, 'y;');
  // Every edit stored (updates are relayed once durable) before the deletion: one still in flight
  // would be answered not_found instead.
  const stored = (p: Provided) =>
    p.doc.getText('code').toString().split('edit;').length === 3 && p.doc.getText('code').toString().includes('y;');
  await eventually(() => docs.every((d) => d.pending === 0) && ys.every(stored));
  return { ys, revoked };
}

async function expectClosed(conn: { ys: Provided[]; revoked: string[] }) {
  await eventually(
    () =>
      conn.ys.every((p) => p.closes.includes(4410)) && conn.revoked.filter((c) => c === 'access_revoked').length === 2,
    8000,
  ).catch((err: Error) => {
    throw new Error(
      `${err.message}: closes ${JSON.stringify(conn.ys.map((p) => p.closes))}, SDK errors ${JSON.stringify(conn.revoked)}`,
    );
  });
  expect(conn.ys.every((p) => p.denied.includes('deleted'))).toBe(true);
}

describe('deletion on a cluster', () => {
  it('deleting a team removes every document of it and disconnects its live clients on both nodes', async () => {
    const team = await buildTeam(a, owner);
    const ds = await buildDesignSystem(a, team, owner);
    const components = await Promise.all([buildComponent(a, ds.id, owner), buildComponent(a, ds.id, owner)]);
    const names = [...components.map((c) => `component:${c.id}`), `tokens:${ds.id}`];
    await a.api
      .as(owner)
      .post(`/api/design-systems/${ds.id}/tokens`, { path: 'color.brand', $value: '#ff0000', $type: 'color' });
    const conn = await connectEverywhere(names[0] as string);
    expect((await rowsOf(names)).documents).toBe(3);

    expect((await a.api.as(owner).delete(`/api/teams/${team.id}`)).status).toBe(204);
    expect(await rowsOf(names)).toEqual({ documents: 0, updates: 0 });
    const [left] = await a.db.$queryRaw<
      { n: bigint }[]
    >`SELECT count(*) AS n FROM documents WHERE team_id = ${team.id}::uuid`;
    expect(Number(left?.n)).toBe(0);
    await expectClosed(conn);
    // No node still holds a copy: the next read is a 404 everywhere.
    for (const node of [a, b])
      await expect(node.services.documents.owner(names[0] as string)).rejects.toMatchObject({ code: 'not_found' });
  });

  it('deleting a design system or a component does the same for its documents', async () => {
    const team = await buildTeam(a, owner);
    const ds = await buildDesignSystem(a, team, owner);
    const [keep, gone] = await Promise.all([buildComponent(a, ds.id, owner), buildComponent(a, ds.id, owner)]);
    const goneName = `component:${gone?.id}`;
    const conn = await connectEverywhere(goneName);
    expect((await a.api.as(owner).delete(`/api/design-systems/${ds.id}/components/${gone?.id}`)).status).toBe(204);
    expect((await rowsOf([goneName])).documents).toBe(0);
    await expectClosed(conn);

    const keepName = `component:${keep?.id}`;
    const second = await connectEverywhere(keepName);
    expect((await b.api.as(owner).delete(`/api/design-systems/${ds.id}`)).status).toBe(204);
    expect(await rowsOf([keepName, `tokens:${ds.id}`])).toEqual({ documents: 0, updates: 0 });
    await expectClosed(second);
  });
});
