// Durable storage of Yjs documents in PostgreSQL: a compacted snapshot per document plus an
// append-only log of the updates since. An update is durable once `append` resolves.
import type { Db } from '../db.ts';

export interface StoredDocument {
  snapshot: Uint8Array | null;
  updates: { id: bigint; update: Uint8Array }[];
}

/** The update log of every document. */
export class PgUpdateLog {
  private readonly db: Db;

  constructor(db: Db) {
    this.db = db;
  }

  /** The snapshot and every update appended after it. */
  async load(name: string): Promise<StoredDocument> {
    const doc = await this.db.document.findUnique({ where: { name } });
    const updates = await this.db.documentUpdate.findMany({
      where: { docName: name, id: { gt: doc?.compactedThrough ?? 0n } },
      orderBy: { id: 'asc' },
      select: { id: true, update: true },
    });
    return { snapshot: doc ? new Uint8Array(doc.state) : null, updates: updates.map((u) => ({ id: u.id, update: new Uint8Array(u.update) })) };
  }

  /** Appends one update durably; creates the document row on first write. */
  async append(name: string, update: Uint8Array, meta: { teamId: string; actorId: string | null }): Promise<bigint> {
    await this.db.document.upsert({
      where: { name },
      create: { name, teamId: meta.teamId, state: new Uint8Array(0) },
      update: {},
    });
    const row = await this.db.documentUpdate.create({
      data: { docName: name, update: new Uint8Array(update), actorId: meta.actorId },
      select: { id: true },
    });
    return row.id;
  }

  /** Replaces the snapshot with `state`, which folds in every update up to `through`, and drops them. */
  async compact(name: string, state: Uint8Array, through: bigint): Promise<void> {
    await this.db.$transaction([
      this.db.document.update({ where: { name }, data: { state: new Uint8Array(state), compactedThrough: through } }),
      this.db.documentUpdate.deleteMany({ where: { docName: name, id: { lte: through } } }),
    ]);
  }

  /** Forgets a document and its log (its resource was deleted). */
  async remove(name: string): Promise<void> {
    await this.db.document.deleteMany({ where: { name } });
  }
}
