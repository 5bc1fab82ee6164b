// Concurrent REST updates of one component go as batches under one row lock: every writer still gets
// the answer it would get if the updates ran one by one (its own version, its 409, its name
// conflict), the row ends where the last one left it, and the row is written fewer times than
// there were updates (a trigger counts the row's UPDATEs). An update without If-Match reads the row
// unlocked: if the row moves before its write, it is written from the document under the lock.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import pg from 'pg';
import { buildComponent, buildCrew, buildDesignSystem } from '../../../support/factories.ts';
import { expectError } from '../../../support/expect-error.ts';
import { startTestServer, type TestServer } from '../../../support/server.ts';
import { workerDatabaseUrl } from '../../../support/database.ts';

let server: TestServer;
let crew: Awaited<ReturnType<typeof buildCrew>>;
let dsId: string;
let path: string;
beforeAll(async () => {
  // Live edits stay out of the row, so only the REST writes update it.
  server = await startTestServer({ MATERIALISE_DEBOUNCE_MS: '60000' });
  crew = await buildCrew(server);
  const ds = await buildDesignSystem(server, crew.team, crew.editor);
  dsId = ds.id;
  path = `/api/design-systems/${ds.id}/components`;
  await server.db.$executeRawUnsafe('CREATE TABLE IF NOT EXISTS test_row_writes (id uuid NOT NULL)');
  await server.db.$executeRawUnsafe(`CREATE OR REPLACE FUNCTION test_count_row_write() RETURNS trigger AS $$
    BEGIN INSERT INTO test_row_writes VALUES (NEW.id); RETURN NEW; END $$ LANGUAGE plpgsql`);
  await server.db.$executeRawUnsafe(
    'CREATE TRIGGER test_count_row_writes AFTER UPDATE ON components FOR EACH ROW EXECUTE FUNCTION test_count_row_write()',
  );
});
afterAll(async () => {
  await server.db.$executeRawUnsafe('DROP TRIGGER IF EXISTS test_count_row_writes ON components');
  await server.db.$executeRawUnsafe('DROP FUNCTION IF EXISTS test_count_row_write()');
  await server.db.$executeRawUnsafe('DROP TABLE IF EXISTS test_row_writes');
  await server.close();
});

const rowWrites = async (id: string) =>
  Number(
    (await server.db.$queryRaw<{ n: bigint }[]>`SELECT count(*) AS n FROM test_row_writes WHERE id = ${id}::uuid`)[0]
      ?.n,
  );

describe('concurrent updates of one component', () => {
  it('answers each writer its own version, ends at the last one, and writes the row fewer times', async () => {
    const c = await buildComponent(server, dsId, crew.editor);
    const writes = await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        server.api.as(i % 3 ? crew.editor : crew.admin).put(`${path}/${c.id}`, { documentation: `text ${i}` }),
      ),
    );
    expect(writes.map((w) => w.status)).toEqual(writes.map(() => 200));
    // Versions c.version + 1 … + 30, one each, and the ETag says the same.
    const versions = writes.map((w) => w.body.version as number);
    expect([...versions].sort((a, b) => a - b)).toEqual(Array.from({ length: 30 }, (_, i) => c.version + 1 + i));
    for (const w of writes) expect(w.headers.etag).toBe(`"${w.body.version}"`);
    // Each answer holds the text it wrote; the row ends with the text of the highest version.
    for (const [i, w] of writes.entries()) expect(w.body.documentation).toBe(`text ${i}`);
    const last = writes.find((w) => w.body.version === c.version + 30);
    const row = await server.api.as(crew.viewer).get(`${path}/${c.id}`);
    expect(row.body).toMatchObject({ version: c.version + 30, documentation: last?.body.documentation });
    const live = await server.services.documents.read(`component:${c.id}`, null, (doc) =>
      doc.getText('docs').toString(),
    );
    expect(live).toBe(last?.body.documentation);
    expect(await rowWrites(c.id)).toBeLessThan(30);
  });

  it('lets exactly one of many writers with the same If-Match through', async () => {
    const c = await buildComponent(server, dsId, crew.editor);
    const writes = await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        server.api
          .as(crew.editor)
          .put(`${path}/${c.id}`, { documentation: `if-match ${i}` })
          .set('If-Match', `"${c.version}"`),
      ),
    );
    const won = writes.filter((w) => w.status === 200);
    expect(won).toHaveLength(1);
    expect(won[0]?.body.version).toBe(c.version + 1);
    for (const lost of writes.filter((w) => w.status !== 200)) {
      expectError(lost, 409, 'conflict');
      expect(lost.body.error.details).toEqual({ currentVersion: c.version + 1 });
    }
    const row = await server.api.as(crew.viewer).get(`${path}/${c.id}`);
    expect(row.body).toMatchObject({ version: c.version + 1, documentation: won[0]?.body.documentation });
  });

  it('refuses only the writer whose name is taken, and counts no version for a write that changes nothing', async () => {
    const other = await buildComponent(server, dsId, crew.editor);
    const c = await buildComponent(server, dsId, crew.editor);
    const [renamed, same, taken, docs] = await Promise.all([
      server.api.as(crew.editor).put(`${path}/${c.id}`, { name: `${c.name} renamed` }),
      server.api.as(crew.editor).put(`${path}/${c.id}`, { category: 'actions' }),
      server.api.as(crew.editor).put(`${path}/${c.id}`, { name: other.name }),
      server.api.as(crew.editor).put(`${path}/${c.id}`, { documentation: 'after the rename' }),
    ]);
    expectError(taken as never, 409, 'conflict');
    for (const w of [renamed, same, docs]) expect(w?.status).toBe(200);
    // Two of the four changed something: two versions, whatever order they ran in.
    const row = await server.api.as(crew.viewer).get(`${path}/${c.id}`);
    expect(row.body).toMatchObject({
      name: `${c.name} renamed`,
      documentation: 'after the rename',
      version: c.version + 2,
    });
    expect(new Set([renamed?.body.version, docs?.body.version])).toEqual(new Set([c.version + 1, c.version + 2]));
  });

  it('writes the row from the document when it moved between an unlocked read and the write', async () => {
    const c = await buildComponent(server, dsId, crew.editor);
    const other = new pg.Client({ connectionString: await workerDatabaseUrl() });
    await other.connect();
    try {
      // Another writer holds the row: the PUT reads it (a plain read is not blocked), merges into the
      // document and then waits on its write.
      await other.query('BEGIN');
      await other.query('SELECT 1 FROM components WHERE id = $1 FOR UPDATE', [c.id]);
      const put = server.api.as(crew.editor).put(`${path}/${c.id}`, { documentation: 'from the PUT' });
      const answer = put.then((r) => r);
      for (let i = 0; i < 200; i++) {
        const { rows } = await other.query(
          "SELECT count(*)::int AS n FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND datname = current_database()",
        );
        if (rows[0].n > 0) break;
        await new Promise((r) => setTimeout(r, 25));
      }
      // …and moves it on before the PUT's write goes through.
      await other.query(
        "UPDATE components SET version = version + 1, documentation = 'from elsewhere', doc_snapshot = NULL WHERE id = $1",
        [c.id],
      );
      await other.query('COMMIT');
      const res = await answer;
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ documentation: 'from the PUT', version: c.version + 2 });
      const row = await server.db.component.findUniqueOrThrow({ where: { id: c.id } });
      expect(row).toMatchObject({ documentation: 'from the PUT', version: c.version + 2 });
    } finally {
      await other.query('ROLLBACK').catch(() => undefined);
      await other.end();
    }
  });
});
