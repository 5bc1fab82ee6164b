// Durable storage of Yjs documents in PostgreSQL: a compacted snapshot per document plus an
// append-only log of the updates since. Appends are group-committed: one INSERT is in flight at a
// time, and every update that arrives meanwhile rides in the next one (one round trip, its own
// transaction, binary parameters). Under load the batches grow by themselves; when idle an update
// goes out at the end of the event-loop turn it arrived in. An append resolves only once its
// statement has committed.
//
// Appends hold a share lock on the document row and compaction an exclusive one, so compaction
// sees every committed update and no update commits in the middle of it: nothing is ever dropped,
// whichever node appends or compacts.
import pg from 'pg';
import * as Y from 'yjs';

export interface StoredDocument {
  snapshot: Uint8Array | null;
  updates: Uint8Array[];
}

interface Pending {
  name: string;
  update: Uint8Array;
  actorId: string | null;
  done: (err?: unknown) => void;
}

/** Most rows per INSERT (3 parameters each, well under PostgreSQL's 65,535). */
const MAX_BATCH = 1000;

/** The update log of every document. */
export class PgUpdateLog {
  private readonly pool: pg.Pool;
  private queue: Pending[] = [];
  /** A flush is scheduled or its INSERT is in flight. */
  private busy = false;

  private readonly commitWindowMs: number;

  constructor(databaseUrl: string, options: { poolSize?: number; commitWindowMs?: number } = {}) {
    this.pool = new pg.Pool({ connectionString: databaseUrl, max: options.poolSize ?? 4 });
    this.commitWindowMs = options.commitWindowMs ?? 2;
    // An idle client that loses its server connection must not crash the process.
    this.pool.on('error', () => undefined);
  }

  /** Creates the document row if it is new. */
  async ensure(name: string, teamId: string): Promise<void> {
    await this.pool.query(
      `INSERT INTO documents (name, team_id, state, updated_at) VALUES ($1, $2, '\\x', now()) ON CONFLICT (name) DO NOTHING`,
      [name, teamId],
    );
  }

  /** The snapshot and every update appended after it, in order. */
  async load(name: string): Promise<StoredDocument> {
    // One statement, so a compaction elsewhere cannot fall between reading the snapshot and the log.
    const { rows } = await this.pool.query<{ state: Buffer; update: Buffer | null }>(
      `SELECT d.state, u.update FROM documents d
         LEFT JOIN document_updates u ON u.doc_name = d.name AND u.id > d.compacted_through
       WHERE d.name = $1 ORDER BY u.id`,
      [name],
    );
    const state = rows[0]?.state;
    return {
      snapshot: state?.length ? new Uint8Array(state) : null,
      updates: rows.filter((r) => r.update).map((r) => new Uint8Array(r.update as Buffer)),
    };
  }

  /** Appends one update; resolves once it is committed. */
  append(name: string, update: Uint8Array, actorId: string | null): Promise<void> {
    return new Promise((resolve, reject) => {
      this.queue.push({ name, update, actorId, done: (err) => (err ? reject(err) : resolve()) });
      if (!this.busy) {
        this.busy = true;
        if (this.commitWindowMs > 0) setTimeout(() => void this.flush(), this.commitWindowMs);
        else setImmediate(() => void this.flush());
      }
    });
  }

  private async flush(): Promise<void> {
    while (this.queue.length) {
      const batch = this.queue.splice(0, MAX_BATCH);
      try {
        await this.insert(batch);
        for (const p of batch) p.done();
      } catch (err) {
        for (const p of batch) p.done(err);
      }
    }
    this.busy = false;
  }

  private async insert(batch: Pending[]): Promise<void> {
    // Document names are parameters $1..$n, each row references its name's parameter; updates go
    // as binary parameters. The CTE takes a share lock on each document row (so compaction waits
    // for us); referencing it in WHERE makes PostgreSQL run it.
    const names = new Map<string, number>();
    const params: unknown[] = [];
    for (const p of batch) if (!names.has(p.name)) names.set(p.name, params.push(p.name));
    const rows: string[] = [];
    for (const p of batch) {
      const at = params.push(Buffer.from(p.update.buffer, p.update.byteOffset, p.update.byteLength), p.actorId);
      rows.push(`($${names.get(p.name)}::varchar, $${at - 1}::bytea, $${at}::uuid)`);
    }
    const list = Array.from(names.values(), (i) => `$${i}`).join(', ');
    await this.pool.query(
      `WITH locked AS (SELECT count(*) AS n FROM (SELECT 1 FROM documents WHERE name IN (${list}) FOR SHARE) l)
       INSERT INTO document_updates (doc_name, update, actor_id)
       SELECT t.doc_name, t.update, t.actor_id FROM (VALUES ${rows.join(', ')}) AS t(doc_name, update, actor_id), locked
       WHERE locked.n >= 0`,
      params,
    );
  }

  /** Folds every committed update into the snapshot and drops them; returns how many were folded. */
  async compact(name: string): Promise<number> {
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      const doc = await client.query<{ state: Buffer; compacted_through: string }>('SELECT state, compacted_through FROM documents WHERE name = $1 FOR UPDATE', [name]);
      const row = doc.rows[0];
      if (!row) {
        await client.query('ROLLBACK');
        return 0;
      }
      const updates = await client.query<{ id: string; update: Buffer }>('SELECT id, update FROM document_updates WHERE doc_name = $1 AND id > $2 ORDER BY id', [name, row.compacted_through]);
      if (!updates.rows.length) {
        await client.query('ROLLBACK');
        return 0;
      }
      const ydoc = new Y.Doc();
      if (row.state.length) Y.applyUpdate(ydoc, new Uint8Array(row.state));
      for (const u of updates.rows) {
        try {
          Y.applyUpdate(ydoc, new Uint8Array(u.update));
        } catch {
          // Updates are validated before they are logged; one that still fails is dropped here.
        }
      }
      const through = (updates.rows.at(-1) as { id: string }).id;
      await client.query('UPDATE documents SET state = $2, compacted_through = $3, updated_at = now() WHERE name = $1', [name, Buffer.from(Y.encodeStateAsUpdate(ydoc)), through]);
      await client.query('DELETE FROM document_updates WHERE doc_name = $1 AND id <= $2', [name, through]);
      await client.query('COMMIT');
      ydoc.destroy();
      return updates.rows.length;
    } catch (err) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw err;
    } finally {
      client.release();
    }
  }

  /** Forgets a document and its log (its resource was deleted). */
  async remove(name: string): Promise<void> {
    await this.pool.query('DELETE FROM documents WHERE name = $1', [name]);
  }

  /** Waits for queued appends, then closes the pool. */
  async close(): Promise<void> {
    while (this.queue.length || this.busy) await new Promise((r) => setTimeout(r, 2));
    await this.pool.end();
  }
}
