// A PostgreSQL outage under live editing, on two nodes: edits made over /yjs (stock providers) and
// Socket.IO (the SDK) during and after a 5 s outage all reach the server and every peer once the
// database is back, REST rows catch up, and what fails during the outage says 503.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, expect, it, jest } from '@jest/globals';
import { pino } from 'pino';
import type * as Y from 'yjs';
import { EnsembleClient, type LiveDocument } from '../../sdk/src/index.ts';
import { loadConfig } from '../../src/config/config.ts';
import { startEnsemble, type Ensemble } from '../../src/server.ts';
import { hasPending } from '../../src/services/documents/yjs-internals.ts';
import { Api } from '../support/api.ts';
import { testRun } from '../support/database.ts';
import { ownPostgres, type OwnPostgres } from '../support/own-postgres.ts';
import { eventually, sleep } from '../support/realtime.ts';
import { testEnv } from '../support/server.ts';
import { provide, type Provided } from '../support/yjs-provider.ts';

let pg: OwnPostgres;
let a: Ensemble;
let b: Ensemble;
let token: string;
let dsId: string;
let componentId: string;
const providers: Provided[] = [];
const clients: EnsembleClient[] = [];

beforeAll(async () => {
  jest.spyOn(console, 'warn').mockImplementation(() => undefined);
  pg = await ownPostgres();
  const env = await testEnv({
    DATABASE_URL: pg.url,
    REDIS_KEY_PREFIX: `${testRun()}:pg-outage:${randomBytes(4).toString('hex')}:`,
    MATERIALISE_DEBOUNCE_MS: '100',
    DATABASE_POOL_SIZE: '4',
  });
  a = await startEnsemble(loadConfig(env), pino({ level: 'silent' }));
  b = await startEnsemble(loadConfig(env), pino({ level: 'silent' }));
  const api = new Api(a.url);
  const reg = await api.post('/api/auth/register', {
    email: `outage-${randomBytes(4).toString('hex')}@example.test`,
    password: 'a long enough passphrase',
    name: 'Olive',
  });
  token = reg.body.accessToken;
  const team = await api.as(token).post('/api/teams', { name: 'Outage team' });
  const ds = await api.as(token).post('/api/design-systems', { teamId: team.body.id, name: 'Outage DS' });
  dsId = ds.body.id;
  const component = await api
    .as(token)
    .post(`/api/design-systems/${dsId}/components`, { name: 'Sturdy', category: 'data', code: '' });
  componentId = component.body.id;
}, 60_000);

afterAll(async () => {
  for (const p of providers) p.close();
  for (const c of clients) c.close();
  await Promise.allSettled([a?.close(), b?.close()]);
  await pg?.destroy();
});

function sdk(url: string): EnsembleClient {
  const c = new EnsembleClient({
    url,
    token,
    socket: { forceNew: true, reconnectionDelay: 100, reconnectionDelayMax: 500 },
  });
  clients.push(c);
  return c;
}

const markers = (text: string) => new Set(text.match(/\[[a-z0-9-]+\]/g) ?? []);
const append = (doc: Y.Doc, marker: string) => doc.getText('code').insert(doc.getText('code').length, marker);

it('loses nothing across a 5 s PostgreSQL outage on two nodes, and says 503 meanwhile', async () => {
  const name = `component:${componentId}`;
  const yWriter = provide(a.url, name, token);
  const yPeer = provide(b.url, name, token);
  providers.push(yWriter, yPeer);
  await Promise.all([yWriter.synced, yPeer.synced]);
  const sWriter: LiveDocument = await sdk(b.url).openDocument(name);
  const sPeer: LiveDocument = await sdk(a.url).openDocument(name);
  const written: string[] = [];
  const write = async (phase: string, count: number) => {
    for (let i = 0; i < count; i++) {
      for (const [tag, doc] of [
        ['y', yWriter.doc],
        ['s', sWriter.doc],
      ] as const) {
        const marker = `[${phase}-${tag}-${i}]`;
        append(doc, marker);
        written.push(marker);
      }
      await sleep(125);
    }
  };

  await write('before', 4);
  await pg.stop();
  const stoppedAt = Date.now();
  const statuses: number[] = [];
  const during = write('during', 20);
  for (let i = 0; i < 4; i++) {
    statuses.push((await new Api(a.url).as(token).get(`/api/design-systems/${dsId}/components/${componentId}`)).status);
    statuses.push(
      (
        await new Api(b.url)
          .as(token)
          .put(`/api/design-systems/${dsId}/components/${componentId}`, { documentation: `outage ${i}` })
      ).status,
    );
    await sleep(500);
  }
  await during;
  await sleep(5000 - (Date.now() - stoppedAt));
  expect(new Set(statuses)).toEqual(new Set([503]));
  await pg.start();
  await write('after', 20);

  const everyone = [yWriter.doc, yPeer.doc, sWriter.doc, sPeer.doc];
  const storedOn = (node: Ensemble) => node.services.documents.read(name, null, (d) => d.getText('code').toString());
  const report = async () => {
    const copies = { yWriter: yWriter.doc, yPeer: yPeer.doc, sWriter: sWriter.doc, sPeer: sPeer.doc };
    const lines = Object.entries(copies).map(
      ([k, d]) =>
        `${k}: missing ${written.filter((m) => !markers(d.getText('code').toString()).has(m)).join(' ')} pending=${hasPending(d)}`,
    );
    for (const [k, node] of [
      ['A', a],
      ['B', b],
    ] as const) {
      const stored = String(await storedOn(node).catch((e: unknown) => e));
      lines.push(`server ${k}: missing ${written.filter((m) => !markers(stored).has(m)).join(' ')}`);
    }
    lines.push(
      `sdk pending ${sWriter.pending}, yWriter closes ${yWriter.closes.join(',')}, denied ${yWriter.denied.join(' | ')}`,
    );
    return lines.join('\n');
  };
  await eventually(
    async () => {
      const want = written.every((m) => markers(yPeer.doc.getText('code').toString()).has(m));
      return (
        want && (await Promise.all([storedOn(a), storedOn(b)])).every((t) => written.every((m) => markers(t).has(m)))
      );
    },
    30_000,
    200,
  ).catch(async (err: unknown) => {
    throw new Error(`${String(err)}\n${await report()}`);
  });
  await eventually(
    async () => {
      const stored = await storedOn(a);
      return everyone.every((d) => d.getText('code').toString() === stored && !hasPending(d));
    },
    15_000,
    200,
  );
  expect(sWriter.pending).toBe(0);
  const text = await storedOn(a);
  expect(markers(text).size).toBe(written.length);
  // The row catches up with the document.
  await eventually(
    async () =>
      (await new Api(b.url).as(token).get(`/api/design-systems/${dsId}/components/${componentId}`)).body.code === text,
    15_000,
    200,
  );
}, 120_000);
