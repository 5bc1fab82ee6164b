// Durable storage of Yjs documents in PostgreSQL: a compacted snapshot per document plus an
// append-only log of the updates since. Appends are group-committed: INSERTs start at least the
// commit window (a few milliseconds) apart, so every update that arrives in between rides in the
// next (one round trip, its own transaction, binary parameters). An update after a quiet spell goes
// at once; under load the statement rate is capped and the batches grow instead. Several INSERTs
// may be in flight, but never two holding the same document, so a slow one (or a document whose
// compaction is running) delays only its own documents, and a document's rows keep their order.
// An append resolves with its row id only once its statement has committed.
//
// Compaction deletes exactly the rows it folded into the snapshot, so appends need no lock: a row
// committed while a compaction runs simply stays in the log, and any row still in the log is
// applied on load (a duplicate is harmless to Yjs). Compactions of one document run one at a time
// (they take its row FOR NO KEY UPDATE, which appends' foreign-key checks do not wait for), and
// every compaction raises the row's `compacted_through`, which serves as the snapshot's version: a
// node compacts from its live copy only if that copy was built on the current snapshot. Nothing is
// ever dropped, whichever node appends or compacts.
import pg from 'pg';
import * as Y from 'yjs';
import { Semaphore } from '../../utils/semaphore.ts';
import { AppError } from '../../utils/errors.ts';

const FOREIGN_KEY_VIOLATION = '23503';

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
  /** Its writer waits for it (a REST request): it does not wait out a commit window. */
  urgent: boolean;
  done: (err: unknown, id?: number) => void;
}

/** What a live copy lacks from the store: the snapshot when it changed, and the rows it does not hold. */
export interface StoredSince {
  /** The current snapshot, or null when it is still the version the copy was built on. */
  snapshot: Uint8Array | null;
  version: number;
  updates: Uint8Array[];
  ids: number[];
}

/** Most rows per INSERT (3 parameters each, well under PostgreSQL's 65,535). */
const MAX_BATCH = 1000;

/** Batches up to this size use a prepared statement per size (parsed and planned once per connection). */
const MAX_PREPARED = 64;

const appendSql = (rows: number): string => {
  const values = Array.from(
    { length: rows },
    (_, i) => `($${3 * i + 1}::varchar, $${3 * i + 2}::bytea, $${3 * i + 3}::uuid, ${i})`,
  );
  return `INSERT INTO document_updates (doc_name, update, actor_id)
    SELECT t.doc_name, t.update, t.actor_id FROM (VALUES ${values.join(', ')}) AS t(doc_name, update, actor_id, ord) ORDER BY t.ord
    RETURNING id, doc_name`;
};
const preparedSql = Array.from({ length: MAX_PREPARED + 1 }, (_, n) => (n ? appendSql(n) : ''));

/** The update log of every document. */
export class PgUpdateLog {
  private readonly pool: pg.Pool;
  private queue: Pending[] = [];
  /** A flush is scheduled; `timer` when it waits out a commit window. */
  private scheduled = false;
  private timer: NodeJS.Timeout | null = null;
  /** Documents with an INSERT in flight, and how many INSERTs are. */
  private readonly inFlight = new Set<string>();
  private flights = 0;
  /** When the last INSERT started (`performance.now()`). */
  private lastFlush = -Infinity;

  private readonly commitWindowMs: number;
  private readonly maxFlights: number;

  /** Loads and catch-ups in progress at once: each holds a snapshot and its rows in memory. */
  private readonly reads: Semaphore;

  constructor(
    databaseUrl: string,
    options: { poolSize?: number; commitWindowMs?: number; maxConcurrentReads?: number } = {},
  ) {
    const poolSize = options.poolSize ?? 4;
    this.reads = new Semaphore(options.maxConcurrentReads ?? 2);
    this.pool = new pg.Pool({ connectionString: databaseUrl, max: poolSize });
    this.commitWindowMs = options.commitWindowMs ?? 20;
    // Leave a connection for loads and compactions.
    this.maxFlights = Math.max(1, poolSize - 1);
    // An idle client that loses its server connection must not crash the process.
    this.pool.on('error', () => undefined);
  }

  /** Creates the document row if it is new; it is deleted with any of its owners (foreign keys). */
  async ensure(
    name: string,
    owner: { teamId: string; designSystemId: string; componentId: string | null },
  ): Promise<void> {
    await this.pool
      .query(
        `INSERT INTO documents (name, team_id, design_system_id, component_id, state, updated_at) VALUES ($1, $2, $3, $4, '\\x', now()) ON CONFLICT (name) DO NOTHING`,
        [name, owner.teamId, owner.designSystemId, owner.componentId],
      )
      .catch((err: unknown) => {
        // The owner was deleted between looking it up and here.
        throw (err as { code?: string }).code === FOREIGN_KEY_VIOLATION ? new AppError('not_found') : err;
      });
  }

  /** The snapshot and every update appended after it, in order. */
  async load(name: string): Promise<StoredDocument> {
    const since = await this.since(name, -1, []);
    return { snapshot: since.snapshot, version: since.version, updates: since.updates, ids: since.ids };
  }

  /**
   * What a copy built on snapshot `version` and holding rows `held` lacks: the snapshot only if it
   * changed, and only the rows not held. One statement, so a compaction cannot fall in between.
   */
  async since(name: string, version: number, held: Iterable<number>): Promise<StoredSince> {
    // bytea arrives as hex text (twice its bytes): node-postgres' per-query `binary` option decodes
    // bytea as a UTF-8 string on a text-mode connection, corrupting it, so it is not used.
    const query: pg.QueryConfig = {
      text: `SELECT 0 AS kind, compacted_through AS id, CASE WHEN compacted_through <> $2 THEN state END AS data FROM documents WHERE name = $1
       UNION ALL
       SELECT 1, id, update FROM document_updates WHERE doc_name = $1 AND NOT (id = ANY($3::bigint[]))
       ORDER BY kind, id`,
      values: [name, version, [...held]],
    };
    const { rows } = await this.reads.run(() =>
      this.pool.query<{ kind: number; id: string | null; data: Buffer | null }>(query),
    );
    const head = rows[0]?.kind === 0 ? rows[0] : undefined;
    const logged = rows.filter((r) => r.kind === 1);
    return {
      snapshot: head?.data?.length ? new Uint8Array(head.data) : null,
      version: Number(head?.id ?? 0),
      updates: logged.map((r) => new Uint8Array(r.data as Buffer)),
      ids: logged.map((r) => Number(r.id)),
    };
  }

  /**
   * Appends one update; resolves with its row id once it is committed. An `urgent` one (its writer
   * is waiting, as a REST request does) starts the next INSERT now instead of after the commit
   * window; whatever else is queued goes with it.
   */
  append(name: string, update: Uint8Array, actorId: string | null, urgent = false): Promise<number> {
    return new Promise((resolve, reject) => {
      this.queue.push({
        name,
        update,
        actorId,
        urgent,
        done: (err, id) => (err ? reject(err) : resolve(id as number)),
      });
      if (urgent && this.timer) {
        clearTimeout(this.timer);
        this.timer = null;
        this.scheduled = false;
      }
      this.scheduleFlush();
    });
  }

  /**
   * The next INSERT starts a commit window after the last one (at the end of this turn if that has
   * passed, or if an urgent update waits).
   */
  private scheduleFlush(): void {
    if (this.scheduled || !this.queue.length || this.flights >= this.maxFlights) return;
    this.scheduled = true;
    const wait = this.queue.some((p) => p.urgent) ? 0 : this.lastFlush + this.commitWindowMs - performance.now();
    if (wait >= 1) this.timer = setTimeout(() => void this.flush(), wait);
    else setImmediate(() => void this.flush());
  }

  private async flush(): Promise<void> {
    this.scheduled = false;
    this.timer = null;
    // Everything queued for documents not already in flight (in order); the rest waits its turn.
    const batch: Pending[] = [];
    const rest: Pending[] = [];
    for (const p of this.queue) (batch.length < MAX_BATCH && !this.inFlight.has(p.name) ? batch : rest).push(p);
    this.queue = rest;
    if (!batch.length) return;
    const names = new Set(batch.map((p) => p.name));
    for (const name of names) this.inFlight.add(name);
    this.flights++;
    this.lastFlush = performance.now();
    try {
      await this.insertSettling(batch, names);
    } finally {
      for (const name of names) this.inFlight.delete(name);
      this.flights--;
    }
    this.scheduleFlush();
  }

  /**
   * Inserts a batch and settles each entry. A document deleted meanwhile (its row gone, so the
   * foreign key refuses) must not fail the other documents' appends: the batch is then retried
   * document by document, and that document's entries answer `not_found`.
   */
  private async insertSettling(batch: Pending[], names: Set<string>): Promise<void> {
    try {
      const ids = await this.insert(batch);
      for (const [i, p] of batch.entries()) p.done(undefined, ids[i]);
    } catch (err) {
      if ((err as { code?: string }).code !== FOREIGN_KEY_VIOLATION) {
        for (const p of batch) p.done(err);
      } else if (names.size === 1) {
        for (const p of batch) p.done(new AppError('not_found', 'The document was deleted'));
      } else {
        for (const name of names) {
          const group = batch.filter((p) => p.name === name);
          await this.insertSettling(group, new Set([name]));
        }
      }
    }
  }

  /** Inserts a batch; returns the row id of each entry. */
  private async insert(batch: Pending[]): Promise<number[]> {
    // Updates go as binary parameters. Rows are inserted in batch order, so a document's ids
    // ascend in the order its entries were queued.
    const values: unknown[] = [];
    for (const p of batch)
      values.push(p.name, Buffer.from(p.update.buffer, p.update.byteOffset, p.update.byteLength), p.actorId);
    const size = batch.length;
    const inserted = await this.pool.query<{ id: string; doc_name: string }>(
      size <= MAX_PREPARED
        ? { name: `ensemble-append-${size}`, text: preparedSql[size] as string, values }
        : { text: appendSql(size), values },
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
    return this.locked(
      name,
      async (client, row) => {
        const logged = await client.query<{ id: string; update: Buffer }>(
          'SELECT id, update FROM document_updates WHERE doc_name = $1 ORDER BY id',
          [name],
        );
        if (!logged.rows.length) return 0;
        const ydoc = new Y.Doc();
        try {
          const { state } = (
            await client.query<{ state: Buffer }>('SELECT state FROM documents WHERE name = $1', [name])
          ).rows[0] as { state: Buffer };
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
      },
      0,
    );
  }

  /**
   * Compacts from a live copy of the document built on snapshot `version`: `state` (read once the
   * log is locked) replaces the snapshot, and the rows in `held` (those the copy is known to
   * contain) are deleted; rows it does not hold stay in the log. `stale` when another compaction
   * replaced the snapshot since: the copy may lack what that one folded, so it must catch up first.
   */
  async compactFrom(
    name: string,
    held: ReadonlySet<number>,
    version: number,
    state: () => Uint8Array,
  ): Promise<LiveCompaction> {
    return this.locked<LiveCompaction>(
      name,
      async (client, row) => {
        if (row.version !== version) return 'stale';
        const logged = await client.query<{ id: string }>('SELECT id FROM document_updates WHERE doc_name = $1', [
          name,
        ]);
        const present = new Set(logged.rows.map((r) => Number(r.id)));
        const folded = [...present].filter((id) => held.has(id));
        const gone = [...held].filter((id) => !present.has(id));
        if (!folded.length) return { folded, gone, version };
        return { folded, gone, version: await this.replaceSnapshot(client, name, state(), folded, version) };
      },
      { folded: [], gone: [], version },
    );
  }

  /**
   * Runs `work` in a transaction holding the document row, so compactions of one document run one
   * at a time; FOR NO KEY UPDATE does not block the foreign-key checks of appends. `missing` is the
   * answer for an unknown document.
   */
  private async locked<T>(
    name: string,
    work: (client: pg.PoolClient, row: { version: number }) => Promise<T>,
    missing: T,
  ): Promise<T> {
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      const doc = await client.query<{ version: string }>(
        'SELECT compacted_through AS version FROM documents WHERE name = $1 FOR NO KEY UPDATE',
        [name],
      );
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
  private async replaceSnapshot(
    client: pg.PoolClient,
    name: string,
    state: Uint8Array,
    folded: number[],
    version: number,
  ): Promise<number> {
    const updated = await client.query<{ version: string }>(
      `UPDATE documents SET state = $2, compacted_through = ${NEXT_VERSION}, updated_at = now() WHERE name = $1 AND compacted_through = $4 RETURNING compacted_through AS version`,
      [
        name,
        Buffer.from(state.buffer, state.byteOffset, state.byteLength),
        folded.reduce((a, b) => Math.max(a, b), 0),
        version,
      ],
    );
    await client.query('DELETE FROM document_updates WHERE doc_name = $1 AND id = ANY($2::bigint[])', [name, folded]);
    return Number(updated.rows[0]?.version);
  }

  /** Waits for queued appends, then closes the pool. */
  async close(): Promise<void> {
    while (this.queue.length || this.flights || this.scheduled) await new Promise((r) => setTimeout(r, 2));
    await this.pool.end();
  }
}
