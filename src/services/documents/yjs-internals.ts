// The one place that reads Yjs below its documented API: a document's struct store, to learn how far
// each client's changes reach without encoding the whole state vector (a long-lived document has
// thousands of clients; this runs for every update), and which root types an update touches
// (items' `parent` and types' `_item`), so that an edit of the code text skips the trial that
// rule-bearing fields need. yjs is pinned to an exact version in
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

const MAX_PLACED = 256;

/** An ID as Yjs writes it. */
interface IdLike {
  client: number;
  clock: number;
}

interface ItemLike extends StructLike {
  id: IdLike;
  parent: unknown;
  origin: IdLike | null;
  rightOrigin: IdLike | null;
  content: { type?: unknown };
}

/** Where the items of an accepted update that is not integrated yet live: clocks [clock, end) of a client in `root`. */
export interface Placement {
  client: number;
  clock: number;
  end: number;
  root: string;
}

/** The placements of items not integrated yet that overlap clocks [from, to) of `client`. */
export type QueuedLookup = (client: number, from: number, to: number) => readonly Placement[];

/** What an update changes: the roots, and where each of its items lives (to place later updates). */
export interface Touched {
  roots: Set<string>;
  placements: Placement[];
}

/** The root type a shared type lives in, by walking up `_item.parent`. */
function rootTypeOf(type: unknown): unknown {
  let current = type as { _item: { parent: unknown } | null } | null;
  while (current?._item) current = current._item.parent as typeof current;
  return current;
}

const rootNames = new WeakMap<Y.Doc, { size: number; names: Map<unknown, string> }>();

/** The name of each root type of `doc` (cached until a root is added). */
function namesOf(doc: Y.Doc): Map<unknown, string> {
  const cached = rootNames.get(doc);
  if (cached && cached.size === doc.share.size) return cached.names;
  const names = new Map<unknown, string>();
  for (const [name, type] of doc.share) names.set(type, name);
  rootNames.set(doc, { size: doc.share.size, names });
  return names;
}

/**
 * The names of the root types a decoded update changes: its items' parents (named, or found through
 * the items they are inserted next to, in the document or among accepted updates not integrated
 * yet) and the items it deletes. Null when something cannot be placed (it refers to a
 * garbage-collected item, or to nothing known): then assume anything.
 */
export function touchedRoots(
  doc: Y.Doc,
  structs: readonly unknown[],
  deletions: ReadonlyMap<number, readonly { clock: number; len: number }[]>,
  queued: QueuedLookup = () => [],
): Touched | null {
  // A large merged update is not worth placing item by item.
  if (structs.length > MAX_PLACED) return null;
  const names = namesOf(doc);
  const own: ItemLike[] = [];
  for (const s of structs)
    if ('parent' in (s as object) && (s as ItemLike).content !== undefined) own.push(s as ItemLike);
  const store = storeOf(doc);
  const ownRoot = new Map<ItemLike, string | null>();
  const rootOfId = (id: IdLike, depth: number): string | null => {
    const list = store.clients.get(id.client);
    const last = list?.[list.length - 1];
    if (list && last && id.clock < last.id.clock + last.length) {
      const found = list[findIndex(list, id.clock)] as ItemLike | undefined;
      if (!found || !('parent' in found)) return null;
      return names.get(rootTypeOf(found.parent)) ?? null;
    }
    const waiting = queued(id.client, id.clock, id.clock + 1)[0];
    if (waiting) return waiting.root;
    // The update's own items may be found by any clock inside them, as Yjs splits them.
    for (const item of own)
      if (item.id.client === id.client && id.clock >= item.id.clock && id.clock < item.id.clock + item.length)
        return rootOfItem(item, depth + 1);
    return null;
  };
  const rootOfItem = (item: ItemLike, depth: number): string | null => {
    if (ownRoot.has(item)) return ownRoot.get(item) ?? null;
    if (depth > 64) return null;
    let root: string | null;
    if (typeof item.parent === 'string') root = item.parent;
    else {
      // A parent given by ID is the item holding the parent type; otherwise the neighbour's parent is this one's.
      const ref = (item.parent as IdLike | null) ?? item.origin ?? item.rightOrigin;
      root = ref ? rootOfId(ref, depth) : null;
    }
    ownRoot.set(item, root);
    return root;
  };
  const touched: Touched = { roots: new Set(), placements: [] };
  for (const item of own) {
    const root = rootOfItem(item, 0);
    if (root === null) return null;
    touched.roots.add(root);
    touched.placements.push({ client: item.id.client, clock: item.id.clock, end: item.id.clock + item.length, root });
  }
  for (const [client, ranges] of deletions) {
    const list = store.clients.get(client) as ItemLike[] | undefined;
    const last = list?.[list.length - 1];
    const docEnd = last ? last.id.clock + last.length : 0;
    for (const { clock, len } of ranges) {
      const end = clock + len;
      let i = list?.length ? findIndexOrNext(list, clock) : 0;
      for (; list && i < list.length && (list[i] as ItemLike).id.clock < end; i++) {
        const item = list[i] as ItemLike;
        if (!('parent' in item)) continue; // already collected: deleting it again changes nothing
        const root = names.get(rootTypeOf(item.parent));
        if (root === undefined) return null;
        touched.roots.add(root);
      }
      if (end <= docEnd) continue;
      // Deleted items not integrated yet: queued ones, or the update's own (their roots are counted
      // above). Every clock past the document must be one of them.
      const from = Math.max(clock, docEnd);
      const spans: { clock: number; end: number }[] = [];
      for (const p of queued(client, from, end)) {
        touched.roots.add(p.root);
        spans.push(p);
      }
      for (const item of own)
        if (item.id.client === client) spans.push({ clock: item.id.clock, end: item.id.clock + item.length });
      spans.sort((a, b) => a.clock - b.clock);
      let reach = from;
      for (const span of spans) if (span.clock <= reach && span.end > reach) reach = span.end;
      if (reach < end) return null;
    }
  }
  return touched;
}

/** The index of the struct containing `clock` (structs are sorted and contiguous). */
function findIndex(structs: readonly StructLike[], clock: number): number {
  let lo = 0;
  let hi = structs.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const s = structs[mid] as StructLike;
    if (clock < s.id.clock) hi = mid - 1;
    else if (clock >= s.id.clock + s.length) lo = mid + 1;
    else return mid;
  }
  return Math.max(0, Math.min(structs.length - 1, lo));
}

/** The index of the struct containing `clock`, or of the first one after it. */
function findIndexOrNext(structs: readonly StructLike[], clock: number): number {
  const last = structs[structs.length - 1] as StructLike;
  if (clock >= last.id.clock + last.length) return structs.length;
  return findIndex(structs, clock);
}
