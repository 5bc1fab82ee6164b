// Which awareness client ids a y-websocket connection may speak for. Awareness states are keyed by a
// client id each client picks itself, so without this any connection could set, change or remove
// another's state (peers would see "Mallory" as "Alice"). A connection claims the ids of the first
// states it sends (at most MAX_CLAIMS; a stock provider has one), unless the id is held by another
// connection here, by another node (a state for it is in the room with no holder here), or was last
// held by someone else. Entries for ids it does not hold are dropped quietly: stock providers echo
// every peer state they receive, so those are routine, not abuse.
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';

/** One client's entry of an awareness update; `state` is the JSON as sent. */
export interface AwarenessEntry {
  clientID: number;
  clock: number;
  state: string;
  /** The state is `null`: the client left. */
  removes: boolean;
}

/** A connection as the claims see it: `awarenessIds` are the ids it holds. */
export interface Claimant {
  principal: string;
  awarenessIds: Set<number>;
}

const MAX_CLAIMS = 4;

/**
 * Decodes an awareness update (`[count, …{clientID, clock, state JSON}]`). States longer than
 * `maxStateChars` are left out unparsed and counted; the others must be JSON (throws otherwise, so
 * that nothing of a malformed update is applied).
 */
export function readAwarenessUpdate(
  update: Uint8Array,
  maxStateChars: number,
): { entries: AwarenessEntry[]; oversize: number } {
  const decoder = decoding.createDecoder(update);
  const entries: AwarenessEntry[] = [];
  let oversize = 0;
  for (let n = decoding.readVarUint(decoder); n > 0; n--) {
    const clientID = decoding.readVarUint(decoder);
    const clock = decoding.readVarUint(decoder);
    const state = decoding.readVarString(decoder);
    if (state.length > maxStateChars) oversize++;
    else entries.push({ clientID, clock, state, removes: JSON.parse(state) === null });
  }
  return { entries, oversize };
}

/** Encodes entries back into an awareness update. */
export function writeAwarenessUpdate(entries: AwarenessEntry[]): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, entries.length);
  for (const { clientID, clock, state } of entries) {
    encoding.writeVarUint(encoder, clientID);
    encoding.writeVarUint(encoder, clock);
    encoding.writeVarString(encoder, state);
  }
  return encoding.toUint8Array(encoder);
}

/** Who holds which awareness client ids in one room of this node. */
export class AwarenessClaims {
  private readonly holders = new Map<number, Claimant>();
  /** Who held each id last, kept after they left, so that their provider gets its id back when it reconnects. */
  private readonly lastHeldBy = new Map<number, string>();

  /** The entries `conn` may apply. `elsewhere(id)`: a state for `id` is in the room (another node's, or the server's own id). */
  allowed(conn: Claimant, entries: AwarenessEntry[], elsewhere: (clientID: number) => boolean): AwarenessEntry[] {
    return entries.filter((entry) => this.admit(conn, entry, elsewhere));
  }

  /** Frees the ids of a connection that closed. */
  release(conn: Claimant): void {
    for (const id of conn.awarenessIds) if (this.holders.get(id) === conn) this.holders.delete(id);
  }

  private admit(
    conn: Claimant,
    { clientID, removes }: AwarenessEntry,
    elsewhere: (clientID: number) => boolean,
  ): boolean {
    const holder = this.holders.get(clientID);
    if (holder === conn) return true;
    if (holder) {
      // The same user's (or key's) connection that the server has not yet seen die: a provider
      // reconnecting after a network blip keeps its client id, so it takes the id over.
      if (holder.principal !== conn.principal) return false;
      holder.awarenessIds.delete(clientID);
    } else {
      // Removing a state one does not hold is an echo of a peer leaving; claims are for states.
      if (removes || elsewhere(clientID) || conn.awarenessIds.size >= MAX_CLAIMS) return false;
      const last = this.lastHeldBy.get(clientID);
      if (last !== undefined && last !== conn.principal) return false;
    }
    this.holders.set(clientID, conn);
    this.lastHeldBy.set(clientID, conn.principal);
    conn.awarenessIds.add(clientID);
    return true;
  }
}
