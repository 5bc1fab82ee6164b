// Two nodes writing one component: REST PUTs with If-Match alternate between the nodes and race
// each other while stock providers edit live on both. Versions move by exactly one per change, a
// 409 only ever answers a version that really moved, and row and document end equal.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { testRun } from '../../support/database.ts';
import { buildComponent, buildCrew, buildDesignSystem } from '../../support/factories.ts';
import { eventually, sleep } from '../../support/realtime.ts';
import { startTestServer, type TestServer } from '../../support/server.ts';
import { provide, type Provided } from '../../support/yjs-provider.ts';

let a: TestServer;
let b: TestServer;
let crew: Awaited<ReturnType<typeof buildCrew>>;
let ds: { id: string };
const providers: Provided[] = [];

beforeAll(async () => {
  const shared = {
    REDIS_KEY_PREFIX: `${testRun()}:versions:${randomBytes(4).toString('hex')}:`,
    JWT_SECRET: randomBytes(32).toString('hex'),
    MATERIALISE_DEBOUNCE_MS: '30',
  };
  a = await startTestServer(shared);
  b = await startTestServer(shared);
  crew = await buildCrew(a);
  ds = await buildDesignSystem(a, crew.team, crew.editor);
});
afterAll(async () => {
  for (const p of providers) p.close();
  await Promise.all([a?.close(), b?.close()]);
});

const path = (id: string) => `/api/design-systems/${ds.id}/components/${id}`;
const put = (node: TestServer, id: string, body: object, version: number) =>
  node.api.as(crew.editor).put(path(id)).set('If-Match', `"${version}"`).send(body);

describe('versions on a cluster', () => {
  it('moves by one per PUT when PUTs alternate between the nodes, with no 409', async () => {
    const c = await buildComponent(a, ds.id, crew.editor, { code: 'v1' });
    let version = c.version;
    for (let i = 0; i < 12; i++) {
      const node = i % 2 ? b : a;
      const res = await put(node, c.id, { code: `write ${i}`, documentation: `docs ${i}` }, version);
      expect({ i, status: res.status }).toEqual({ i, status: 200 });
      expect(res.body.version).toBe(version + 1);
      expect(res.body.code).toBe(`write ${i}`);
      version = res.body.version;
    }
    await sleep(300);
    for (const node of [a, b])
      expect((await node.api.as(crew.editor).get(path(c.id))).body).toMatchObject({ version, code: 'write 11' });
  });

  it('lets exactly one of two racing PUTs with the same If-Match win', async () => {
    const c = await buildComponent(a, ds.id, crew.editor, { code: 'race' });
    for (let round = 0; round < 5; round++) {
      const current = (await a.api.as(crew.editor).get(path(c.id))).body.version as number;
      const [ra, rb] = await Promise.all([
        put(a, c.id, { documentation: `a${round}` }, current),
        put(b, c.id, { documentation: `b${round}` }, current),
      ]);
      expect([ra.status, rb.status].sort()).toEqual([200, 409]);
      const loser = ra.status === 409 ? ra : rb;
      const winner = ra.status === 200 ? ra : rb;
      expect(winner.body.version).toBe(current + 1);
      expect(loser.body.error.details.currentVersion).toBe(current + 1);
    }
  });

  it('keeps versions increasing and 409s honest while stock providers edit live on both nodes', async () => {
    const c = await buildComponent(a, ds.id, crew.editor, { code: '' });
    const name = `component:${c.id}`;
    const live = [provide(a.url, name, crew.editor.accessToken), provide(b.url, name, crew.admin.accessToken)];
    providers.push(...live);
    await Promise.all(live.map((p) => p.synced));
    let typing = true;
    const typists = live.map(async (p, n) => {
      for (let i = 0; typing; i++) {
        p.doc.getText('code').insert(p.doc.getText('code').length, `[${n}-${i}]`);
        await sleep(40);
      }
    });
    const seen: number[] = [];
    let conflicts = 0;
    for (let i = 0; i < 16; i++) {
      const node = i % 2 ? b : a;
      const current = (await node.api.as(crew.editor).get(path(c.id))).body.version as number;
      const res = await put(node, c.id, { documentation: `rest ${i}` }, current);
      if (res.status === 409) {
        conflicts++;
        // Honest: the version did move after the GET (a live edit was materialised in between).
        expect(res.body.error.details.currentVersion).toBeGreaterThan(current);
      } else {
        expect(res.status).toBe(200);
        expect(res.body.version).toBeGreaterThan(current);
        seen.push(res.body.version);
      }
    }
    typing = false;
    await Promise.all(typists);
    expect(seen).toEqual([...seen].sort((x, y) => x - y));
    expect(new Set(seen).size).toBe(seen.length);
    expect(conflicts).toBeLessThan(16);
    // Settled: the row equals the document on both nodes and stops moving.
    const docOn = (node: TestServer) => node.services.documents.read(name, null, (d) => d.getText('code').toString());
    await eventually(async () => {
      const [ra, rb] = await Promise.all([a, b].map((node) => node.api.as(crew.editor).get(path(c.id))));
      return (
        ra?.body.code === (await docOn(a)) &&
        rb?.body.code === (await docOn(b)) &&
        ra?.body.version === rb?.body.version
      );
    }, 10_000);
    const settled = (await a.api.as(crew.editor).get(path(c.id))).body.version;
    await sleep(500);
    expect((await b.api.as(crew.editor).get(path(c.id))).body.version).toBe(settled);
  });
});
