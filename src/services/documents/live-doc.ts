// One document held in memory by DocumentService: its Y.Doc, the rules its edits obey, and the log
// rows it holds. Every update is integrated the moment it is accepted, so the copy is always the
// latest state this node knows; it is dropped (`closed`) when it may hold a change that did not
// become durable, and loaded afresh.
import * as Y from 'yjs';
import type { DocumentName } from './document-names.ts';
import type { DocumentOwner } from './document.service.ts';
import type { LiveRules } from './rules/live-rules.ts';

export interface LiveDoc {
  name: string;
  parsed: DocumentName;
  owner: DocumentOwner;
  doc: Y.Doc;
  rules: LiveRules;
  sinceCompact: number;
  /** Log rows whose updates this copy holds: compaction folds exactly these. */
  held: Set<number>;
  /** The version of the stored snapshot this copy contains. */
  version: number;
  lastTouched: number;
  /** Connections holding the document open; idle unloading skips documents with peers. */
  peers: number;
  unsubscribe: () => Promise<void>;
  /** Dropped from the cache: nothing is integrated into it any more. */
  closed: boolean;
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

/** Frees the document. */
export function discard(live: LiveDoc): void {
  live.closed = true;
  live.doc.destroy();
}
