// One y-protocols Awareness per live document on this node, shared by every transport: y-websocket
// connections and Socket.IO subscribers see and set the same states (carets, selections, names), and
// other nodes' states arrive through the document bus. Whose state a connection may set is claimed
// (awareness-claims.ts); a connection's states are removed when it leaves the document. Listeners
// (the y-websocket rooms, the Socket.IO fan-out) are told every change once, already encoded.
import * as awarenessProtocol from 'y-protocols/awareness';
import * as Y from 'yjs';
import type { DocumentService } from '../services/documents/document.service.ts';
import { AwarenessClaims, writeAwarenessUpdate, type AwarenessEntry, type Claimant } from './yjs/awareness-claims.ts';

/** The longest awareness state (JSON) a client may set: names, colours and cursors are far shorter. */
export const MAX_AWARENESS_STATE_CHARS = 16 * 1024;

/**
 * A change of a document's awareness: the encoded update of the changed states, and the id of the
 * connection it came from (not echoed to it over Socket.IO), or null (another node, an expiry).
 */
export type AwarenessListener = (name: string, update: Uint8Array, from: string | null) => void;

/** What applied a change: a local connection's id, or another node. */
const REMOTE = Symbol('remote');

interface DocRoom {
  awareness: awarenessProtocol.Awareness;
  claims: AwarenessClaims;
  /** This node's connections holding the document, each with the client ids it claimed. */
  members: Map<string, Claimant>;
}

/** The awareness of this node's live documents. */
export class DocAwareness {
  private readonly documents: DocumentService;
  private readonly rooms = new Map<string, DocRoom>();
  private readonly listeners = new Set<AwarenessListener>();
  private readonly stopRemote: () => void;

  constructor(documents: DocumentService) {
    this.documents = documents;
    this.stopRemote = documents.onRemoteAwareness((name, update) => {
      const room = this.rooms.get(name);
      if (room) awarenessProtocol.applyAwarenessUpdate(room.awareness, update, REMOTE);
    });
  }

  /** Tells `listener` every change; returns the unsubscribe function. */
  onChange(listener: AwarenessListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** A connection (y-websocket or Socket.IO) opened the document. Joining again changes nothing. */
  join(name: string, conn: { id: string; principal: string }): void {
    const room = this.rooms.get(name) ?? this.open(name);
    if (!room.members.has(conn.id)) room.members.set(conn.id, { principal: conn.principal, awarenessIds: new Set() });
  }

  /** A connection left the document: the states it held are removed (and the removal relayed). */
  leave(name: string, connectionId: string): void {
    const room = this.rooms.get(name);
    const member = room?.members.get(connectionId);
    if (!room || !member) return;
    room.members.delete(connectionId);
    room.claims.release(member);
    if (member.awarenessIds.size)
      awarenessProtocol.removeAwarenessStates(room.awareness, [...member.awarenessIds], connectionId);
    if (room.members.size === 0) {
      room.awareness.destroy();
      this.rooms.delete(name);
    }
  }

  /**
   * Applies the entries a member may set (the client ids it holds or may claim); `update` is their
   * encoding when it holds exactly `entries`, re-encoded otherwise. Returns how many were applied.
   */
  apply(name: string, connectionId: string, entries: AwarenessEntry[], update?: Uint8Array): number {
    const room = this.rooms.get(name);
    const member = room?.members.get(connectionId);
    if (!room || !member) return 0;
    const states = room.awareness.getStates();
    const own = room.claims.allowed(member, entries, (id) => id === room.awareness.clientID || states.has(id));
    if (own.length)
      awarenessProtocol.applyAwarenessUpdate(
        room.awareness,
        update && own.length === entries.length ? update : writeAwarenessUpdate(own),
        connectionId,
      );
    return own.length;
  }

  /** Every current state of the document, as one awareness update (no states: an empty one). */
  snapshot(name: string): Uint8Array {
    const awareness = this.rooms.get(name)?.awareness;
    return awareness
      ? awarenessProtocol.encodeAwarenessUpdate(awareness, [...awareness.getStates().keys()])
      : writeAwarenessUpdate([]);
  }

  /** How many states the document has. */
  count(name: string): number {
    return this.rooms.get(name)?.awareness.getStates().size ?? 0;
  }

  /** Stops listening to other nodes and drops every document's states. */
  close(): void {
    this.stopRemote();
    for (const room of this.rooms.values()) room.awareness.destroy();
    this.rooms.clear();
  }

  private open(name: string): DocRoom {
    const awareness = new awarenessProtocol.Awareness(new Y.Doc());
    // The server has no state of its own, only its peers'.
    awareness.setLocalState(null);
    const room: DocRoom = { awareness, claims: new AwarenessClaims(), members: new Map() };
    awareness.on(
      'update',
      ({ added, updated, removed }: { added: number[]; updated: number[]; removed: number[] }, origin: unknown) => {
        const update = awarenessProtocol.encodeAwarenessUpdate(awareness, [...added, ...updated, ...removed]);
        const from = typeof origin === 'string' && room.members.has(origin) ? origin : null;
        for (const listener of this.listeners) listener(name, update, from);
        if (origin !== REMOTE) this.documents.publishAwareness(name, update);
      },
    );
    this.rooms.set(name, room);
    return room;
  }
}
