// The one place that reads Yjs below its documented API: a document's struct store, to learn how far
// each client's changes reach without encoding the whole state vector (a long-lived document has
// thousands of clients; this runs for every update). yjs is pinned to an exact version in
// package.json, and tests/unit/services/documents/yjs-internals.test.ts fails loudly when an
// upgrade changes what is read here.
import type * as Y from 'yjs';

interface StructLike {
  id: { clock: number };
  length: number;
}

interface StoreLike {
  clients: Map<number, StructLike[]>;
}

const storeOf = (doc: Y.Doc): StoreLike => (doc as unknown as { store: StoreLike }).store;

/** The next clock of `client` in `doc`: every change of that client below it is integrated. */
export function clientState(doc: Y.Doc, client: number): number {
  const structs = storeOf(doc).clients.get(client);
  const last = structs?.[structs.length - 1];
  return last ? last.id.clock + last.length : 0;
}

/** Whether the document holds updates it could not integrate yet (their dependencies are missing). */
export function hasPending(doc: Y.Doc): boolean {
  const store = (doc as unknown as { store: { pendingStructs: unknown; pendingDs: unknown } }).store;
  return store.pendingStructs !== null || store.pendingDs !== null;
}
