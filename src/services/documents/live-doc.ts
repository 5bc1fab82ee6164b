// One document held in memory by DocumentService: its Y.Doc, the log rows it holds, and the durable
// updates waiting to be integrated. A client's update is made durable and relayed first, and
// integrated a little later together with the others that arrived meanwhile: a Yjs transaction's
// fixed cost is most of a small update's, and nobody reads the copy in between (every read goes
// through `settled`, which integrates what is waiting first).
import * as Y from 'yjs';
import type { DocumentName } from './document-names.ts';
import type { ChangeOrigin, DocumentOwner } from './document.service.ts';

export interface LiveDoc {
  name: string;
  parsed: DocumentName;
  owner: DocumentOwner;
  doc: Y.Doc;
  /** Durable updates not yet integrated into `doc`: integrated together before anyone reads it. */
  unapplied: Uint8Array[];
  settleTimer: NodeJS.Timeout | null;
  /** A durable update that would not integrate (it is skipped, as on load). */
  onIntegrateError: (err: unknown) => void;
  sinceCompact: number;
  /** Log rows whose updates this copy holds (integrated or waiting): compaction folds exactly these. */
  held: Set<number>;
  /** The version of the stored snapshot this copy contains. */
  version: number;
  lastTouched: number;
  /** Connections holding the document open; idle unloading skips documents with peers. */
  peers: number;
  unsubscribe: () => Promise<void>;
}

/** How long a durable update may wait to be integrated into the live copy, unless it is read sooner. */
const SETTLE_DELAY_MS = 250;
/** Integrate at once when this many are waiting. */
const SETTLE_MAX_UPDATES = 256;
const SETTLE_ORIGIN: ChangeOrigin = { actor: null, source: 'system' };

/** Applies stored updates one by one; one that fails is skipped rather than making the document unloadable. */
export function applyEach(doc: Y.Doc, updates: Uint8Array[], origin?: ChangeOrigin): void {
  for (const update of updates) {
    try {
      Y.applyUpdate(doc, update, origin);
    } catch {
      // Skipped: the rest of the document still loads.
    }
  }
}

/** Queues a durable update for integration: soon, or at once when the document is read. */
export function defer(live: LiveDoc, update: Uint8Array): void {
  live.unapplied.push(update);
  if (live.unapplied.length >= SETTLE_MAX_UPDATES) settled(live);
  else live.settleTimer ??= setTimeout(() => settled(live), SETTLE_DELAY_MS).unref();
}

/**
 * Integrates the deferred updates, in order, in one Yjs transaction, and returns the document. An
 * update that decoded but fails to integrate is skipped, as on load.
 */
export function settled(live: LiveDoc): Y.Doc {
  if (live.settleTimer) clearTimeout(live.settleTimer);
  live.settleTimer = null;
  if (!live.unapplied.length) return live.doc;
  const updates = live.unapplied;
  live.unapplied = [];
  try {
    live.doc.transact(() => {
      for (const update of updates) Y.applyUpdate(live.doc, update, SETTLE_ORIGIN);
    }, SETTLE_ORIGIN);
  } catch {
    // Yjs skips what it already integrated; the one that fails is skipped.
    for (const update of updates) {
      try {
        Y.applyUpdate(live.doc, update, SETTLE_ORIGIN);
      } catch (err) {
        live.onIntegrateError(err);
      }
    }
  }
  return live.doc;
}

/** Drops what is waiting and frees the document. */
export function discard(live: LiveDoc): void {
  if (live.settleTimer) clearTimeout(live.settleTimer);
  live.unapplied = [];
  live.doc.destroy();
}
