// One document held in memory by DocumentService: its Y.Doc, the rules its edits obey, the log rows
// it holds, and the accepted updates not integrated yet. An update that needs no trial (typing in
// a text) is checked against the document *and* the queue, then queued, made durable and relayed;
// the queue is integrated in one Yjs transaction a little later, or at once before anything reads
// the copy (every read goes through `settled`). A Yjs transaction's fixed cost is most of what a
// small update costs (its state vector is read twice, events and cleanup run), so a queue of ten
// costs about what three separate ones do. The copy is dropped (`closed`) when it may hold a
// change that did not become durable, and loaded afresh.
import * as Y from 'yjs';
import type { DeletedScope } from '../../models/documents/doc-bus.ts';
import type { DocumentName } from './document-names.ts';
import type { DocumentOwner } from './document-change.ts';
import type { LiveRules } from './rules/live-rules.ts';
import type { UpdateFacts } from './update-check.ts';
import { clientState, type Placement } from './yjs-internals.ts';

export interface LiveDoc {
  name: string;
  parsed: DocumentName;
  owner: DocumentOwner;
  doc: Y.Doc;
  rules: LiveRules;
  sinceCompact: number;
  /** Log rows whose updates this copy holds (integrated or queued): compaction folds exactly these. */
  held: Set<number>;
  /** The version of the stored snapshot this copy contains. */
  version: number;
  lastTouched: number;
  /** Connections holding the document open; idle unloading skips documents with peers. */
  peers: number;
  unsubscribe: () => Promise<void>;
  /** Dropped from the cache: nothing is integrated into it any more. */
  closed: boolean;
  queue: Queue;
  /**
   * Updates another node relayed and this copy integrated, whose durable announcement has not come
   * yet (oldest first). One that stays unconfirmed is stored by this node (its sender may be dead).
   */
  relayed?: { update: Uint8Array; at: number }[];
  /** A branch copy: the state vector of its fork base (compaction stores only what is past it). */
  baseVector?: Uint8Array;
}

/** Accepted updates waiting to be integrated, and what they add, for checking the next ones. */
export interface Queue {
  updates: Uint8Array[];
  /** How far each client's changes reach, counting the queue. */
  reach: Map<number, number>;
  /** Where the queued items live, per client, in clock order. */
  placements: Map<number, Placement[]>;
  /** Characters the queue inserts at most. */
  inserted: number;
  timer: NodeJS.Timeout | null;
}

/** How long an accepted update may wait to be integrated, unless the copy is read sooner. */
const SETTLE_DELAY_MS = 250;
/** Integrate at once when this many are waiting. */
const SETTLE_MAX_UPDATES = 256;
const SETTLE_ORIGIN = { settle: true };

/** An empty queue. */
export const emptyQueue = (): Queue => ({
  updates: [],
  reach: new Map(),
  placements: new Map(),
  inserted: 0,
  timer: null,
});

/** How far `client`'s changes reach in the copy, counting the queue. */
export const reachOf = (live: LiveDoc, client: number): number =>
  Math.max(clientState(live.doc, client), live.queue.reach.get(client) ?? 0);

/** The queued items of `client` overlapping clocks [from, to). */
export function queuedPlacements(live: LiveDoc, client: number, from: number, to: number): Placement[] {
  const list = live.queue.placements.get(client);
  if (!list) return [];
  const out: Placement[] = [];
  for (let i = list.length - 1; i >= 0; i--) {
    const p = list[i] as Placement;
    if (p.end <= from) break;
    if (p.clock < to) out.push(p);
  }
  return out;
}

/** Queues a checked update whose items were all placed; integrated soon, or at once when the copy is read. */
export function enqueue(live: LiveDoc, update: Uint8Array, facts: UpdateFacts, placements: readonly Placement[]): void {
  const queue = live.queue;
  queue.updates.push(update);
  for (const [client, clock] of facts.reach) if (clock > (queue.reach.get(client) ?? 0)) queue.reach.set(client, clock);
  for (const p of placements) {
    let list = queue.placements.get(p.client);
    if (!list) queue.placements.set(p.client, (list = []));
    list.push(p);
  }
  queue.inserted += facts.inserted;
  if (queue.updates.length >= SETTLE_MAX_UPDATES) settled(live);
  else queue.timer ??= setTimeout(() => settled(live), SETTLE_DELAY_MS).unref();
}

/** Integrates the queue, in order, in one Yjs transaction, and returns the document. */
export function settled(live: LiveDoc): Y.Doc {
  const queue = live.queue;
  if (queue.timer) clearTimeout(queue.timer);
  queue.timer = null;
  if (!queue.updates.length || live.closed) return live.doc;
  const updates = queue.updates;
  live.queue = emptyQueue();
  // Each was checked against the document and the queue before it, so each integrates fully.
  live.doc.transact(() => applyEach(live.doc, updates, SETTLE_ORIGIN), SETTLE_ORIGIN);
  return live.doc;
}

/** Applies stored updates one by one; one that fails is skipped rather than making the document unloadable. */
export function applyEach(doc: Y.Doc, updates: Uint8Array[], origin?: unknown): number {
  let failed = 0;
  for (const update of updates) {
    try {
      Y.applyUpdate(doc, update, origin);
    } catch {
      failed++;
    }
  }
  return failed;
}

/** Frees the document (and forgets what was queued: a dropped copy is reloaded from the log). */
export function discard(live: LiveDoc): void {
  live.closed = true;
  if (live.queue.timer) clearTimeout(live.queue.timer);
  live.queue = emptyQueue();
  live.doc.destroy();
}

/** Whether a live document belongs to what was deleted. */
export function ownedBy(live: LiveDoc, scope: DeletedScope): boolean {
  if ('teamId' in scope) return live.owner.teamId === scope.teamId;
  if ('designSystemId' in scope) return live.owner.designSystemId === scope.designSystemId;
  if ('branchId' in scope) return live.parsed.branchId === scope.branchId;
  return live.parsed.kind === 'component' && live.parsed.id === scope.componentId;
}
