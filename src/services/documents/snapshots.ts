// Which state of a document a relational row was materialised from. Every node's copy of a
// document only ever grows, but two nodes' copies may differ for a moment; a row is written only
// from a state that contains the one it was last written from (every insertion and every
// deletion), so a node that has not yet received a change can never overwrite the row with older
// content, and versions move forward one change at a time.
import * as Y from 'yjs';

/** The document's state vector and delete set, encoded. */
export const snapshotOf = (doc: Y.Doc): Uint8Array => Y.encodeSnapshot(Y.snapshot(doc));

/** Whether the state `ours` contains everything in `theirs` (null: nothing recorded yet). */
export function containsSnapshot(ours: Uint8Array, theirs: Uint8Array | null): boolean {
  if (!theirs?.length) return true;
  const a = Y.decodeSnapshot(ours);
  const b = Y.decodeSnapshot(theirs);
  for (const [client, clock] of b.sv) if ((a.sv.get(client) ?? 0) < clock) return false;
  for (const [client, ranges] of b.ds.clients) {
    const mine = a.ds.clients.get(client) ?? [];
    for (const { clock, len } of ranges) if (!covered(mine, clock, clock + len)) return false;
  }
  return true;
}

/** Whether the sorted deletion ranges `ranges` cover [from, to). */
function covered(ranges: readonly { clock: number; len: number }[], from: number, to: number): boolean {
  let lo = 0;
  let hi = ranges.length - 1;
  // The last range starting at or before `from`.
  let at = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if ((ranges[mid] as { clock: number }).clock <= from) {
      at = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  let reach = from;
  for (let i = Math.max(0, at); i < ranges.length && reach < to; i++) {
    const range = ranges[i] as { clock: number; len: number };
    if (range.clock > reach) return false;
    reach = Math.max(reach, range.clock + range.len);
  }
  return reach >= to;
}
