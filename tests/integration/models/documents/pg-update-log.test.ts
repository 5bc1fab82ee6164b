// The update log against a real PostgreSQL: appends never wait for a compaction's row lock, and a
// document whose append is stuck does not hold up the appends of other documents; an append whose
// writer waits (a REST request) does not wait out the commit window.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import pg from 'pg';
import * as Y from 'yjs';
import { PgUpdateLog } from '../../../../src/models/documents/pg-update-log.ts';
import { workerDatabaseUrl } from '../../../support/database.ts';
import { buildComponent, buildCrew, buildDesignSystem } from '../../../support/factories.ts';
import { startTestServer, type TestServer } from '../../../support/server.ts';

let server: TestServer;
let url: string;
let log: PgUpdateLog;
let names: string[];
beforeAll(async () => {
  server = await startTestServer();
  url = await workerDatabaseUrl();
  log = new PgUpdateLog(url, { poolSize: 4, commitWindowMs: 5 });
  const crew = await buildCrew(server);
  const ds = await buildDesignSystem(server, crew.team, crew.editor);
  names = [];
  for (let i = 0; i < 3; i++) {
    const c = await buildComponent(server, ds.id, crew.editor);
    names.push(`component:${c.id}`);
    await log.ensure(names[i] as string, { teamId: crew.team.id, designSystemId: ds.id, componentId: c.id });
  }
});
afterAll(async () => {
  await log.close();
  await server.close();
});

const update = (text: string) => {
  const doc = new Y.Doc();
  doc.getText('code').insert(0, text);
  return Y.encodeStateAsUpdate(doc);
};

/** Resolves with 'done' or 'blocked' after `ms`. */
const within = (p: Promise<unknown>, ms: number) =>
  Promise.race([p.then(() => 'done'), new Promise((r) => setTimeout(() => r('blocked'), ms))]);

describe('PgUpdateLog', () => {
  it('appends to a document while its compaction holds the row lock', async () => {
    const [busy] = names as [string];
    const locker = new pg.Client({ connectionString: url });
    await locker.connect();
    try {
      await locker.query('BEGIN');
      // What a compaction takes (compactFrom, compact): the document row FOR NO KEY UPDATE.
      await locker.query('SELECT compacted_through FROM documents WHERE name = $1 FOR NO KEY UPDATE', [busy]);
      expect(await within(log.append(busy, update('during compaction'), null), 3000)).toBe('done');
    } finally {
      await locker.query('ROLLBACK');
      await locker.end();
    }
  });

  it('does not hold other documents’ appends behind one that is stuck', async () => {
    const [stuck, free] = names.slice(1) as [string, string];
    const locker = new pg.Client({ connectionString: url });
    await locker.connect();
    try {
      await locker.query('BEGIN');
      // A lock no append can pass (as if the document's row were being deleted): its INSERT waits.
      await locker.query('SELECT 1 FROM documents WHERE name = $1 FOR UPDATE', [stuck]);
      const waiting = log.append(stuck, update('stuck'), null);
      await new Promise((r) => setTimeout(r, 50));
      const results = await Promise.all(
        Array.from({ length: 20 }, (_, i) => within(log.append(free, update(`free ${i}`), null), 3000)),
      );
      expect(new Set(results)).toEqual(new Set(['done']));
      expect(await within(waiting, 100)).toBe('blocked');
      await locker.query('ROLLBACK');
      expect(await within(waiting, 3000)).toBe('done');
    } finally {
      await locker.query('ROLLBACK').catch(() => undefined);
      await locker.end();
    }
  });

  it('starts an urgent append at once instead of after the commit window', async () => {
    const [name] = names as [string];
    const slow = new PgUpdateLog(url, { poolSize: 2, commitWindowMs: 10_000 });
    try {
      // The first append opens a window of 10 s: the next one, not urgent, waits it out.
      await slow.append(name, update('opens the window'), null);
      const waiting = slow.append(name, update('waits'), null);
      expect(await within(waiting, 300)).toBe('blocked');
      // An urgent one goes now, and takes what was waiting with it, in order.
      const urgent = slow.append(name, update('urgent'), null, true);
      expect(await within(Promise.all([waiting, urgent]), 3000)).toBe('done');
      expect(await waiting).toBeLessThan(await urgent);
    } finally {
      await slow.close();
    }
  });

  it('loads a snapshot with its log in one read, and catches a copy up with only what it lacks', async () => {
    const [name] = names as [string];
    const first = await log.load(name);
    expect(first.updates.length).toBeGreaterThan(0);
    const since = await log.since(name, first.version, first.ids);
    expect(since).toEqual({ snapshot: null, version: first.version, updates: [], ids: [] });
    const id = await log.append(name, update('later'), null);
    expect((await log.since(name, first.version, first.ids)).ids).toEqual([id]);
  });
});
