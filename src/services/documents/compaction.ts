// Folds a document's update log into its snapshot. A document held here is snapshotted from its
// live copy (no replay of the log); otherwise the log is replayed in a scratch document. On a
// cluster one node at a time compacts a document: the holder of a short lease, so two nodes never
// fold the same rows twice over (the log's version check keeps it safe either way).
import * as Y from 'yjs';
import type { PgUpdateLog } from '../../models/documents/pg-update-log.ts';
import { settled, type LiveDoc } from './live-doc.ts';
import type { LiveDocs } from './live-docs.ts';

/** Takes or keeps the lease `key` for this node; false when another node holds it. */
export type Lease = (key: string) => Promise<boolean>;

/** Compactions, one at a time per document. */
export class Compactor {
  private readonly log: PgUpdateLog;
  private readonly docs: LiveDocs;
  private readonly lease: Lease;
  private readonly running = new Map<string, Promise<void>>();

  constructor(log: PgUpdateLog, docs: LiveDocs, lease: Lease = async () => true) {
    this.log = log;
    this.docs = docs;
    this.lease = lease;
  }

  /** Compacts `name` unless another node holds its compaction lease. */
  compact(name: string): Promise<void> {
    const running = this.running.get(name);
    if (running !== undefined) return running;
    const job = this.run(name).finally(() => this.running.delete(name));
    this.running.set(name, job);
    return job;
  }

  /** Compacts and drops the documents nobody holds open and nobody touched for `idleMs`; returns how many. */
  async unloadIdle(now: number, idleMs: number): Promise<number> {
    const idle = (live: LiveDoc) => live.peers === 0 && now - live.lastTouched >= idleMs;
    let count = 0;
    for (const live of await this.docs.where(idle)) {
      if (!idle(live)) continue; // opened again while an earlier one was compacted
      await this.compact(live.name);
      await this.docs.drop(live.name, live);
      count++;
    }
    return count;
  }

  /** Compacts every document with changes past its snapshot (shutdown); failures are left to the log. */
  async compactAll(): Promise<void> {
    const changed = await this.docs.where((live) => live.sinceCompact > 0);
    await Promise.all(changed.map((live) => this.compact(live.name).catch(() => undefined)));
  }

  private async run(name: string): Promise<void> {
    const live = await this.docs.peek(name);
    if (live) live.sinceCompact = 0;
    if (!(await this.lease(`compact:${name}`))) return;
    if (!live || live.closed) {
      await this.log.compact(name);
      return;
    }
    // A branch copy's snapshot holds only what is past its fork base, which is stored once apart.
    const snapshot = () => Y.encodeStateAsUpdate(settled(live), live.baseVector);
    let result = await this.log.compactFrom(name, live.held, live.version, snapshot);
    if (result === 'stale') {
      // Another node compacted since this copy was loaded, and its snapshot may hold updates
      // whose announcements never arrived here: catch up from the database first.
      await this.docs.resync(name);
      result = await this.log.compactFrom(name, live.held, live.version, snapshot);
    }
    if (result === 'stale') return;
    for (const id of [...result.folded, ...result.gone]) live.held.delete(id);
    live.version = result.version;
  }
}
