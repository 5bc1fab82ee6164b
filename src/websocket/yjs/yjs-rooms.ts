// The y-websocket protocol (y-protocols sync and awareness) over `ws`, so stock WebsocketProvider
// clients and editor bindings work unchanged and share documents with Socket.IO clients.
// Updates are durable before they are applied or relayed; a relayed update is encoded once for all
// peers and never echoed to its sender.
import * as decoding from 'lib0/decoding';
import type { Logger } from 'pino';
import * as awarenessProtocol from 'y-protocols/awareness';
import * as syncProtocol from 'y-protocols/sync';
import * as Y from 'yjs';
import type { WebSocket } from 'ws';
import type { Actor } from '../../services/actor.ts';
import type { ConnectionSession } from '../../services/auth/authenticate.ts';
import { parseDocumentName, type DocumentName } from '../../services/documents/document-names.ts';
import type { Services } from '../../services/index.ts';
import { can } from '../../services/policy.ts';
import { toPublicError } from '../../utils/error-mapper.ts';
import { binaryFrame, writeFrame } from '../frames.ts';
import type { Inflight } from '../inflight.ts';
import { REFUSAL_CODES, RefusalTally } from '../refusal-tally.ts';
import {
  awarenessMessage,
  CLOSE_ACCESS_REVOKED,
  CLOSE_GONE,
  CLOSE_SERVICE_RESTART,
  CLOSE_TOKEN_EXPIRED,
  CLOSE_TOO_MANY_REFUSALS,
  CLOSE_TRY_AGAIN_LATER,
  MESSAGE_AWARENESS,
  MESSAGE_QUERY_AWARENESS,
  MESSAGE_SYNC,
  permissionDenied,
  syncStep1,
  syncStep2,
  syncUpdate,
} from './protocol.ts';

interface YConnection {
  id: string;
  ws: WebSocket;
  name: string;
  actor: Actor;
  session: ConnectionSession;
  principal: string;
  readOnly: boolean;
  awarenessIds: Set<number>;
  alive: boolean;
  refusals: RefusalTally;
  /** Closes the connection when its access token runs out (y-websocket cannot renew one in band). */
  expiry: NodeJS.Timeout | null;
  /** More than the buffer cap waits to be sent: updates and awareness are held back until it has read it. */
  behind: boolean;
  /** Bytes relayed since its buffer was last looked at (looked at every 1/16 of the cap). */
  unchecked: number;
}

interface YRoom {
  name: string;
  parsed: DocumentName;
  conns: Map<string, YConnection>;
  awareness: awarenessProtocol.Awareness;
}

/** What a new connection brings. */
export interface YjsPeer {
  /** Connection id, already counted against the principal's connection cap. */
  id: string;
  actor: Actor;
  session: ConnectionSession;
  principal: string;
  readOnly: boolean;
}

export interface YjsRoomsOptions {
  pingIntervalMs: number;
  /** Several nodes share the documents (catch up from the log when a connection opens). */
  clustered: boolean;
  /** Refused updates within 10 s before a connection is closed (4429). */
  refusalLimit: number;
  /** Updates being stored, awaited on shutdown. */
  inflight: Inflight;
  /** Bytes that may wait to be sent to one connection before it is held back (SOCKET_MAX_BUFFERED_BYTES). */
  maxBufferedBytes: number;
  /** Told each time a connection falls behind. */
  onSlowReader?: () => void;
}

/** This node's y-websocket connections, grouped by document. */
export class YjsRooms {
  private readonly services: Services;
  private readonly logger: Logger;
  private readonly rooms = new Map<string, YRoom>();
  private readonly pinger: NodeJS.Timeout;
  private readonly clustered: boolean;

  private readonly refusalLimit: number;
  private readonly inflight: Inflight;
  private readonly maxBuffered: number;
  private readonly onSlowReader: () => void;
  private readonly behind = new Set<YConnection>();
  private catchUpTimer: NodeJS.Timeout | null = null;

  constructor(services: Services, logger: Logger, options: YjsRoomsOptions) {
    this.maxBuffered = options.maxBufferedBytes;
    this.onSlowReader = options.onSlowReader ?? (() => undefined);
    this.refusalLimit = options.refusalLimit;
    this.services = services;
    this.logger = logger;
    this.clustered = options.clustered;
    this.inflight = options.inflight;
    const pingIntervalMs = options.pingIntervalMs;
    services.documents.onRemoteAwareness((name, update) => {
      const room = this.rooms.get(name);
      if (room) awarenessProtocol.applyAwarenessUpdate(room.awareness, update, 'remote');
    });
    this.pinger = setInterval(() => this.ping(), pingIntervalMs);
    this.pinger.unref();
  }

  /** Open connections on this node. */
  get size(): number {
    let n = 0;
    for (const room of this.rooms.values()) n += room.conns.size;
    return n;
  }

  /** Takes over an upgraded socket for document `name`. */
  async accept(ws: WebSocket, name: string, peer: YjsPeer): Promise<void> {
    const conn: YConnection = { ws, name, ...peer, awarenessIds: new Set(), alive: true, refusals: new RefusalTally(this.refusalLimit), expiry: null, behind: false, unchecked: 0 };
    if (peer.session.kind === 'user') {
      conn.expiry = setTimeout(() => this.closeWith(conn, CLOSE_TOKEN_EXPIRED, 'token expired'), Math.max(0, peer.session.expiresAt - Date.now()));
    }
    await this.services.documents.retain(name, 1);
    const room = this.room(name);
    room.conns.set(conn.id, conn);
    ws.on('pong', () => (conn.alive = true));
    // Messages are handled concurrently (an update waits for its group commit); they reach the
    // integration step in the order they arrived, as every path there awaits the same steps.
    ws.on('message', (data: Buffer) => void this.inflight.track(this.receive(room, conn, new Uint8Array(data.buffer, data.byteOffset, data.byteLength))));
    ws.on('close', () => void this.drop(room, conn));
    ws.on('error', () => ws.terminate());
    if (this.clustered) await this.services.documents.resync(name);
    await this.requestSync(conn);
    const states = room.awareness.getStates();
    if (states.size) this.send(conn, awarenessMessage(room.awareness, [...states.keys()]));
  }

  /** Sends a durable update to every peer of the document but its sender. */
  broadcastUpdate(name: string, update: Uint8Array, exceptConnection?: string): void {
    const room = this.rooms.get(name);
    if (!room || room.conns.size === 0 || (room.conns.size === 1 && room.conns.has(exceptConnection ?? ''))) return;
    const message = syncUpdate(update);
    const built = binaryFrame(message);
    for (const conn of room.conns.values()) {
      if (conn.id === exceptConnection || this.heldBack(conn, message.byteLength)) continue;
      if (!writeFrame(conn.ws, built)) this.send(conn, message);
    }
  }

  /** Bytes written to this node's connections that they have not read yet. */
  get bufferedBytes(): number {
    let n = 0;
    for (const room of this.rooms.values()) for (const conn of room.conns.values()) n += conn.ws.bufferedAmount;
    return n;
  }

  /** Connections held back because they do not read. */
  get slowReaders(): number {
    return this.behind.size;
  }

  /**
   * Whether a relay to `conn` must be skipped: it is behind, or more than the cap waits for it now.
   * Once it has read down to a quarter of the cap it gets the whole document (Yjs skips what it
   * has) and is asked for what the server lacks.
   */
  private heldBack(conn: YConnection, bytes: number): boolean {
    if (conn.behind) return true;
    conn.unchecked += bytes;
    if (conn.unchecked < this.maxBuffered / 16) return false;
    conn.unchecked = 0;
    if (conn.ws.bufferedAmount <= this.maxBuffered) return false;
    conn.behind = true;
    this.behind.add(conn);
    this.onSlowReader();
    this.catchUpTimer ??= setInterval(() => this.catchUp(), 250);
    this.catchUpTimer.unref();
    return true;
  }

  private catchUp(): void {
    for (const conn of this.behind) {
      if (conn.ws.readyState !== conn.ws.OPEN) {
        this.behind.delete(conn);
        continue;
      }
      if (conn.ws.bufferedAmount > this.maxBuffered / 4) continue;
      this.behind.delete(conn);
      conn.behind = false;
      void this.services.documents
        .encodeState(conn.name, null)
        .then((state) => {
          this.send(conn, syncUpdate(state));
          const room = this.rooms.get(conn.name);
          if (room) this.send(conn, awarenessMessage(room.awareness, [...room.awareness.getStates().keys()]));
          return this.requestSync(conn);
        })
        .catch(() => conn.ws.close(CLOSE_TRY_AGAIN_LATER, 'resync failed'));
    }
    if (!this.behind.size && this.catchUpTimer) {
      clearInterval(this.catchUpTimer);
      this.catchUpTimer = null;
    }
  }

  /**
   * Sync step 1: the server's state vector. A stock provider answers with everything the server
   * lacks (sync step 2), which is how it resends what was refused for a missing dependency or lost
   * in a failure.
   */
  async requestSync(conn: YConnection): Promise<void> {
    const sv = await this.services.documents.read(conn.name, null, (doc) => Y.encodeStateVector(doc));
    this.send(conn, syncStep1(sv));
  }

  /**
   * After the document was reloaded (it missed changes while it was dropped, and so may its
   * connections): every connection gets the whole state and is asked for what the server lacks.
   */
  async resyncDocument(name: string): Promise<void> {
    const room = this.rooms.get(name);
    if (!room?.conns.size) return;
    const state = await this.services.documents.encodeState(name, null);
    const message = syncUpdate(state);
    for (const conn of room.conns.values()) {
      this.send(conn, message);
      void this.requestSync(conn).catch(() => undefined);
    }
  }

  /** Re-checks a principal's connections: closed when they lost read access, read-only without write. */
  async refresh(principal: string): Promise<void> {
    for (const room of this.rooms.values()) {
      for (const conn of room.conns.values()) {
        if (conn.principal !== principal) continue;
        try {
          conn.actor = await this.services.authenticator.recheck(conn.session);
          const owner = await this.services.documents.owner(room.name);
          if (!can(conn.actor, 'designSystem:read', owner)) throw new Error('no access');
          conn.readOnly = !can(conn.actor, 'designSystem:write', owner);
        } catch {
          this.send(conn, permissionDenied('access revoked'));
          conn.ws.close(CLOSE_ACCESS_REVOKED, 'access revoked');
        }
      }
    }
  }

  /** Closes the connections of a session that ended (logout). */
  endSession(sessionId: string): void {
    for (const room of this.rooms.values()) {
      for (const conn of room.conns.values()) {
        if (conn.session.kind === 'user' && conn.session.sessionId === sessionId) this.closeWith(conn, CLOSE_TOKEN_EXPIRED, 'session ended');
      }
    }
  }

  /** Tells a connection why (permission denied) and closes it. */
  private closeWith(conn: YConnection, code: number, reason: string): void {
    this.send(conn, permissionDenied(reason));
    conn.ws.close(code, reason);
  }

  /** Closes every connection of a document whose resource was deleted. */
  closeDocument(name: string, reason: string): void {
    for (const conn of this.rooms.get(name)?.conns.values() ?? []) {
      this.send(conn, permissionDenied(reason));
      conn.ws.close(CLOSE_GONE, 'document deleted');
    }
  }

  /** Closes every connection as a restart (1012: the provider reconnects, to another node if there is one). */
  closeAll(): void {
    clearInterval(this.pinger);
    if (this.catchUpTimer) clearInterval(this.catchUpTimer);
    for (const room of this.rooms.values()) for (const conn of room.conns.values()) conn.ws.close(CLOSE_SERVICE_RESTART, 'server restarting');
  }

  private room(name: string): YRoom {
    let room = this.rooms.get(name);
    if (room) return room;
    const awareness = new awarenessProtocol.Awareness(new Y.Doc());
    awareness.setLocalState(null);
    const created: YRoom = { name, parsed: parseDocumentName(name), conns: new Map(), awareness };
    awareness.on('update', ({ added, updated, removed }: { added: number[]; updated: number[]; removed: number[] }, origin: unknown) => {
      const changed = [...added, ...updated, ...removed];
      if (origin && typeof origin === 'object' && 'awarenessIds' in origin) {
        const conn = origin as YConnection;
        for (const id of added) conn.awarenessIds.add(id);
        for (const id of removed) conn.awarenessIds.delete(id);
      }
      const message = awarenessMessage(awareness, changed);
      for (const conn of created.conns.values()) if (!this.heldBack(conn, message.byteLength)) this.send(conn, message);
      if (origin !== 'remote') this.services.documents.publishAwareness(name, awarenessProtocol.encodeAwarenessUpdate(awareness, changed));
    });
    this.rooms.set(name, created);
    return created;
  }

  private async receive(room: YRoom, conn: YConnection, data: Uint8Array): Promise<void> {
    try {
      const decoder = decoding.createDecoder(data);
      const type = decoding.readVarUint(decoder);
      if (type === MESSAGE_SYNC) {
        const sub = decoding.readVarUint(decoder);
        if (sub === syncProtocol.messageYjsSyncStep1) {
          const sv = decoding.readVarUint8Array(decoder);
          const diff = await this.services.documents.encodeState(room.name, null, sv);
          this.send(conn, syncStep2(diff));
        } else {
          const update = decoding.readVarUint8Array(decoder);
          // An empty update (two zero bytes) changes nothing and is not worth a write.
          if (update.length <= 2 && update.every((b) => b === 0)) return;
          await this.applyUpdate(room, conn, update);
        }
      } else if (type === MESSAGE_AWARENESS) {
        awarenessProtocol.applyAwarenessUpdate(room.awareness, decoding.readVarUint8Array(decoder), conn);
      } else if (type === MESSAGE_QUERY_AWARENESS) {
        this.send(conn, awarenessMessage(room.awareness, [...room.awareness.getStates().keys()]));
      }
    } catch (err) {
      // A malformed or refused message is dropped; the connection and the document carry on.
      this.logger.warn({ err, document: room.name }, 'y-websocket message refused');
    }
  }

  /**
   * Applies a client's update. A refusal is compensated by the service (the pair reaches this client
   * like any update) and explained with y-protocols' permission-denied message; a missing dependency
   * asks the client for its whole state; a store failure closes the connection (1013), so the
   * provider shows it is not synced, reconnects and sends again what the server lacks.
   */
  private async applyUpdate(room: YRoom, conn: YConnection, update: Uint8Array): Promise<void> {
    try {
      await this.services.documents.applyUpdate(room.name, update, { actor: conn.actor, source: 'yjs', connectionId: conn.id });
    } catch (err) {
      const { code, message, status } = toPublicError(err);
      if (code === 'resync_required') return void (await this.requestSync(conn).catch(() => undefined));
      if (REFUSAL_CODES.has(code)) {
        const { tell, disconnect } = conn.refusals.record(room.name, code);
        if (tell) this.send(conn, permissionDenied(`${code}: ${message}`));
        if (disconnect) conn.ws.close(CLOSE_TOO_MANY_REFUSALS, 'too many refused updates');
        return;
      }
      this.send(conn, permissionDenied(`${code}: ${message}`));
      if (code === 'not_found') conn.ws.close(CLOSE_GONE, 'document deleted');
      else conn.ws.close(CLOSE_TRY_AGAIN_LATER, code);
      if (status >= 500 && code !== 'service_unavailable') this.logger.error({ err, document: room.name }, 'y-websocket update failed');
    }
  }

  private async drop(room: YRoom, conn: YConnection): Promise<void> {
    if (conn.expiry) clearTimeout(conn.expiry);
    this.behind.delete(conn);
    if (!room.conns.delete(conn.id)) return;
    if (conn.awarenessIds.size) awarenessProtocol.removeAwarenessStates(room.awareness, [...conn.awarenessIds], null);
    if (room.conns.size === 0) {
      room.awareness.destroy();
      this.rooms.delete(room.name);
    }
    await this.services.documents.retain(room.name, -1).catch(() => undefined);
    await this.services.connections.close(conn.principal, conn.id).catch(() => undefined);
  }

  private send(conn: YConnection, message: Uint8Array): void {
    // Write errors surface as the socket's 'error' event, which terminates it.
    if (conn.ws.readyState === conn.ws.OPEN) conn.ws.send(message);
  }

  private ping(): void {
    for (const room of this.rooms.values()) {
      for (const conn of room.conns.values()) {
        if (!conn.alive) {
          conn.ws.terminate();
          continue;
        }
        conn.alive = false;
        conn.ws.ping();
        void this.services.connections.heartbeat(conn.principal, conn.id).catch(() => undefined);
      }
    }
  }
}
