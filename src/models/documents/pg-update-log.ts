// Durable storage of Yjs documents in PostgreSQL: a compacted snapshot per document plus an
// append-only log of the updates since. Appends are group-committed: one INSERT is in flight at a
// time, and INSERTs start at least the commit window (a few milliseconds) apart, so every update
// that arrives in between rides in the next (one round trip, its own transaction, binary
// parameters). An update after a quiet spell goes at once; under load the statement rate is capped
// and the batches grow instead. An append resolves with its row id only once its statement has
// committed.
//
// Compaction deletes exactly the rows it folded into the snapshot, so appends need no lock: a row
// committed while a compaction runs simply stays in the log, and any row still in the log is
// applied on load (a duplicate is harmless to Yjs). Compactions of one document run one at a time
// (they lock its row), and every compaction raises the row's `compacted_through`, which serves as
// the snapshot's version: a node compacts from its live copy only if that copy was built on the
// current snapshot. Nothing is ever dropped, whichever node appends or compacts.
import pg from 'pg';
import * as Y from 'yjs';

export interface StoredDocument {
  snapshot: Uint8Array | null;
  /** The snapshot's version (it changes with every compaction). */
  version: number;
  updates: Uint8Array[];
  /** The log row of each update. */
  ids: number[];
}

/**
 * What compacting from a live copy did: the rows it folded, the held rows already gone from the
 * log (folded elsewhere), and the new version; `stale` when the stored snapshot changed under it.
 */
export type LiveCompaction = { folded: number[]; gone: number[]; version: number } | 'stale';

// Strictly increasing with every compaction, and never below the highest row id folded.
const NEXT_VERSION = 'GREATEST(compacted_through + 1, $3)';

interface Pending {
  name: string;
  update: Uint8Array;
  actorId: string | null;
  done: (err: unknown, id?: number) => void;
}

/** Most rows per INSERT (3 parameters each, well under PostgreSQL's 65,535). */
const MAX_BATCH = 1000;

/** Batches up to this size use a prepared statement per size (parsed and planned once per connection). */
const MAX_PREPARED = 64;

const appendSql = (rows: number): string => {
  const values = Array.from({ length: rows }, (_, i) => `($${3 * i + 1}::varchar, $${3 * i + 2}::bytea, $${3 * i + 3}::uuid, ${i})`);
  return `INSERT INTO document_updates (doc_name, update, actor_id)
    SELECT t.doc_name, t.update, t.actor_id FROM (VALUES ${values.join(', ')}) AS t(doc_name, update, actor_id, ord) ORDER BY t.ord
    RETURNING id, doc_name`;
};
const preparedSql = Array.from({ length: MAX_PREPARED + 1 }, (_, n) => (n ? appendSql(n) : ''));

/** The update log of every document. */
export class PgUpdateLog {
  private readonly pool: pg.Pool;
  private queue: Pending[] = [];
  /** A flush is scheduled or its INSERT is in flight. */
  private busy = false;
  /** When the last INSERT started (`performance.now()`). */
  private lastFlush = -Infinity;

  private readonly commitWindowMs: number;

  constructor(databaseUrl: string, options: { poolSize?: number; commitWindowMs?: number } = {}) {
    this.pool = new pg.Pool({ connectionString: databaseUrl, max: options.poolSize ?? 4 });
    this.commitWindowMs = options.commitWindowMs ?? 20;
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
    const { rows } = await this.pool.query<{ state: Buffer; version: string; id: string | null; update: Buffer | null }>(
      `SELECT d.state, d.compacted_through AS version, u.id, u.update FROM documents d
         LEFT JOIN document_updates u ON u.doc_name = d.name
       WHERE d.name = $1 ORDER BY u.id`,
      [name],
    );
    const state = rows[0]?.state;
    const logged = rows.filter((r) => r.update);
    return {
      snapshot: state?.length ? new Uint8Array(state) : null,
      version: Number(rows[0]?.version ?? 0),
      updates: logged.map((r) => new Uint8Array(r.update as Buffer)),
      ids: logged.map((r) => Number(r.id)),
    };
  }

  /** Appends one update; resolves with its row id once it is committed. */
  append(name: string, update: Uint8Array, actorId: string | null): Promise<number> {
    return new Promise((resolve, reject) => {
      this.queue.push({ name, update, actorId, done: (err, id) => (err ? reject(err) : resolve(id as number)) });
      if (!this.busy) {
        this.busy = true;
        this.scheduleFlush();
      }
    });
  }

  /** The next INSERT starts a commit window after the last one (at the end of this turn if that has passed). */
  private scheduleFlush(): void {
    const wait = this.lastFlush + this.commitWindowMs - performance.now();
    if (wait >= 1) setTimeout(() => void this.flush(), wait);
    else setImmediate(() => void this.flush());
  }

  private async flush(): Promise<void> {
    this.lastFlush = performance.now();
    const batch = this.queue.splice(0, MAX_BATCH);
    try {
      const ids = await this.insert(batch);
      batch.forEach((p, i) => p.done(undefined, ids[i]));
    } catch (err) {
      for (const p of batch) p.done(err);
    }
    if (this.queue.length) this.scheduleFlush();
    else this.busy = false;
  }

  /** Inserts a batch; returns the row id of each entry. */
  private async insert(batch: Pending[]): Promise<number[]> {
    // Updates go as binary parameters. Rows are inserted in batch order, so a document's ids
    // ascend in the order its entries were queued.
    const values: unknown[] = [];
    for (const p of batch) values.push(p.name, Buffer.from(p.update.buffer, p.update.byteOffset, p.update.byteLength), p.actorId);
    const size = batch.length;
    const inserted = await this.pool.query<{ id: string; doc_name: string }>(
      size <= MAX_PREPARED ? { name: `ensemble-append-${size}`, text: preparedSql[size] as string, values } : { text: appendSql(size), values },
    );
    const byName = new Map<string, number[]>();
    for (const row of inserted.rows) {
      const ids = byName.get(row.doc_name) ?? [];
      ids.push(Number(row.id));
      byName.set(row.doc_name, ids);
    }
    for (const ids of byName.values()) ids.sort((a, b) => a - b);
    return batch.map((p) => (byName.get(p.name) as number[]).shift() as number);
  }

  /**
   * Folds every committed update into the snapshot, rebuilt from the stored snapshot and the log
   * alone; returns how many were folded. Any node may do it.
   */
  async compact(name: string): Promise<number> {
    return this.locked(name, async (client, row) => {
      const logged = await client.query<{ id: string; update: Buffer }>('SELECT id, update FROM document_updates WHERE doc_name = $1 ORDER BY id', [name]);
      if (!logged.rows.length) return 0;
      const ydoc = new Y.Doc();
      try {
        const { state } = (await client.query<{ state: Buffer }>('SELECT state FROM documents WHERE name = $1', [name])).rows[0] as { state: Buffer };
        if (state.length) Y.applyUpdate(ydoc, new Uint8Array(state));
        for (const u of logged.rows) {
          try {
            Y.applyUpdate(ydoc, new Uint8Array(u.update));
          } catch {
            // Updates are validated before they are logged; one that still fails is dropped here.
          }
        }
        const folded = logged.rows.map((u) => Number(u.id));
        await this.replaceSnapshot(client, name, Y.encodeStateAsUpdate(ydoc), folded, row.version);
        return folded.length;
      } finally {
        ydoc.destroy();
      }
    }, 0);
  }

  /**
   * Compacts from a live copy of the document built on snapshot `version`: `state` (read once the
   * log is locked) replaces the snapshot, and the rows in `held` (those the copy is known to
   * contain) are deleted; rows it does not hold stay in the log. `stale` when another compaction
   * replaced the snapshot since: the copy may lack what that one folded, so it must catch up first.
   */
  async compactFrom(name: string, held: ReadonlySet<number>, version: number, state: () => Uint8Array): Promise<LiveCompaction> {
    return this.locked<LiveCompaction>(name, async (client, row) => {
      if (row.version !== version) return 'stale';
      const logged = await client.query<{ id: string }>('SELECT id FROM document_updates WHERE doc_name = $1', [name]);
      // While the row is locked no append to this document can commit, so `held` cannot grow here.
      const present = new Set(logged.rows.map((r) => Number(r.id)));
      const folded = [...present].filter((id) => held.has(id));
      const gone = [...held].filter((id) => !present.has(id));
      if (!folded.length) return { folded, gone, version };
      return { folded, gone, version: await this.replaceSnapshot(client, name, state(), folded, version) };
    }, { folded: [], gone: [], version });
  }

  /**
   * Runs `work` in a transaction holding the document row exclusively, so compactions of one
   * document run one at a time. `missing` is the answer for an unknown document.
   */
  private async locked<T>(name: string, work: (client: pg.PoolClient, row: { version: number }) => Promise<T>, missing: T): Promise<T> {
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      const doc = await client.query<{ version: string }>('SELECT compacted_through AS version FROM documents WHERE name = $1 FOR UPDATE', [name]);
      const row = doc.rows[0];
      const result = row ? await work(client, { version: Number(row.version) }) : missing;
      await client.query('COMMIT');
      return result;
    } catch (err) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw err;
    } finally {
      client.release();
    }
  }

  /** Writes a new snapshot and deletes the rows folded into it; returns the new version. */
  private async replaceSnapshot(client: pg.PoolClient, name: string, state: Uint8Array, folded: number[], version: number): Promise<number> {
    const updated = await client.query<{ version: string }>(
      `UPDATE documents SET state = $2, compacted_through = ${NEXT_VERSION}, updated_at = now() WHERE name = $1 AND compacted_through = $4 RETURNING compacted_through AS version`,
      [name, Buffer.from(state.buffer, state.byteOffset, state.byteLength), folded.reduce((a, b) => Math.max(a, b), 0), version],
    );
    await client.query('DELETE FROM document_updates WHERE doc_name = $1 AND id = ANY($2::bigint[])', [name, folded]);
    return Number(updated.rows[0]?.version);
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
