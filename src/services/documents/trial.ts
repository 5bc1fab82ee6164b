// Integrating an update so that it can still be taken back. The update is applied with an origin
// of its own that a Y.UndoManager on the watched types tracks; `revert` undoes exactly that update
// (concurrent changes by others stay) and returns what every client needs to converge: the update
// and its undo merged into one. The sender, who holds the update, ends where the server is; a peer
// given the pair sees no change; and the sender's later edits, which may build on the reverted
// items, still integrate everywhere because those items exist (deleted) on every copy.
import * as Y from 'yjs';
import type { RootKind } from './update-check.ts';

/**
 * Any shared type. `any`: Yjs types are invariant in their event type (YMap<T> is not an
 * AbstractType<unknown>), and undo managers and change sets hold every kind.
 */
// biome-ignore lint/suspicious/noExplicitAny: Yjs's own type for any shared type
export type SharedType = Y.AbstractType<any>;

/** What an integration changed: which types, and which keys of a map. */
export interface TrialChanges {
  /** Whether `type` or anything inside it changed. */
  touched(type: SharedType): boolean;
  /** The keys set or deleted directly on a map (empty for other types). */
  keys(type: SharedType): ReadonlySet<string>;
}

/** Changes that say every type and every key of a map changed: a whole state checked afresh. */
export const EVERY_CHANGE: TrialChanges = {
  touched: () => true,
  keys: (type) => new Set(type instanceof Y.Map ? type.keys() : []),
};

/** An integrated update that has not been accepted yet. */
export interface Trial {
  changes: TrialChanges;
  /** Undoes the update; the merged update and undo, or null when the update changed nothing. */
  revert(): Uint8Array | null;
  /** Keeps the update. */
  accept(): void;
}

/** Applies `update` to `doc`, ready to be reverted for as long as the trial is open. */
export function tryUpdate(doc: Y.Doc, update: Uint8Array, watched: SharedType[]): Trial {
  const origin = { trial: true };
  const undo = new Y.UndoManager(watched, { trackedOrigins: new Set([origin]), captureTimeout: 0 });
  const changed = new Set<SharedType>();
  const keys = new Map<SharedType, Set<string>>();
  const record = (tr: Y.Transaction) => {
    if (tr.origin !== origin) return;
    for (const type of tr.changedParentTypes.keys()) changed.add(type);
    for (const [type, subs] of tr.changed) {
      changed.add(type);
      keys.set(type, new Set([...subs].filter((k): k is string => k !== null)));
    }
  };
  doc.on('afterTransaction', record);
  let changedAnything = false;
  const onUpdate = (_u: Uint8Array, o: unknown) => {
    if (o === origin) changedAnything = true;
  };
  doc.on('update', onUpdate);
  try {
    Y.applyUpdate(doc, update, origin);
  } finally {
    doc.off('afterTransaction', record);
    doc.off('update', onUpdate);
  }
  let open = true;
  const close = () => {
    open = false;
    undo.destroy();
  };
  return {
    changes: { touched: (type) => changed.has(type), keys: (type) => keys.get(type) ?? new Set() },
    revert() {
      if (!open) throw new Error('the trial is closed');
      let undone: Uint8Array | null = null;
      const capture = (u: Uint8Array, o: unknown) => {
        if (o === undo) undone = undone ? Y.mergeUpdates([undone, u]) : u;
      };
      doc.on('update', capture);
      try {
        undo.undo();
      } finally {
        doc.off('update', capture);
        close();
      }
      if (!changedAnything) return null;
      return undone ? Y.mergeUpdates([update, undone]) : update;
    },
    accept() {
      if (open) close();
    },
  };
}

/**
 * Creates the roots an update names that the document lacks, typed as the update uses them: an
 * untyped root reports no changes, so an undo manager could not see what the update did to it.
 */
export function ensureRoots(doc: Y.Doc, roots: ReadonlyMap<string, RootKind>): void {
  for (const [name, kind] of roots) {
    if (doc.share.has(name)) continue;
    if (kind === 'map') doc.getMap(name);
    else if (kind === 'text') doc.getText(name);
    else doc.getArray(name);
  }
}

/** Applies and at once reverts a refused update; returns what to log and relay (null: nothing to undo). */
export function compensate(doc: Y.Doc, update: Uint8Array, roots: ReadonlyMap<string, RootKind>): Uint8Array | null {
  ensureRoots(doc, roots);
  return tryUpdate(doc, update, [...doc.share.values()]).revert();
}

/** Runs `fn` as one transaction of `doc` with `origin`; returns its result and the update it made (null: none). */
export function transactCapturing<T>(
  doc: Y.Doc,
  origin: object,
  fn: (doc: Y.Doc) => T,
): { result: T; update: Uint8Array | null } {
  let update: Uint8Array | null = null;
  const capture = (u: Uint8Array, o: unknown) => {
    if (o === origin) update = update ? Y.mergeUpdates([update, u]) : u;
  };
  doc.on('update', capture);
  try {
    const result = doc.transact(() => fn(doc), origin);
    return { result, update };
  } finally {
    doc.off('update', capture);
  }
}
