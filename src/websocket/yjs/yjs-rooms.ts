// The y-websocket protocol (y-protocols sync and awareness) over `ws`, so stock WebsocketProvider
// clients and editor bindings work unchanged and share documents with Socket.IO clients.
// Updates are relayed to peers once they passed the checks (durability follows; on a failed commit
// the document is reloaded and every holder resynced); a relayed update is encoded once for all
// peers and never echoed to its sender. Budgets: yjs-budget.ts; awareness, shared with Socket.IO
// subscribers and claimed per connection: doc-awareness.ts; connections that do not read are held
// back: yjs-slow-readers.ts; per-connection state: yjs-connection.ts; presence: yjs-presence.ts.
import type { Logger } from 'pino';
import * as Y from 'yjs';
import type { WebSocket } from 'ws';
import { parseDocumentName } from '../../services/documents/document-names.ts';
import type { Services } from '../../services/index.ts';
import { can } from '../../services/policy.ts';
import { toPublicError } from '../../utils/error-mapper.ts';
import { binaryFrame, writeFrame } from '../frames.ts';
import type { Inflight } from '../inflight.ts';
import { RefusalTally } from '../refusal-tally.ts';
import { MAX_AWARENESS_STATE_CHARS, type DocAwareness } from '../doc-awareness.ts';
import { readAwarenessUpdate } from './awareness-claims.ts';
import {
  awarenessMessage,
  CLOSE_ACCESS_REVOKED,
  CLOSE_GONE,
  CLOSE_POLICY_VIOLATION,
  CLOSE_SERVICE_RESTART,
  CLOSE_TOKEN_EXPIRED,
  CLOSE_TRY_AGAIN_LATER,
  permissionDenied,
  readMessage,
  syncStep1,
  syncStep2,
  syncUpdate,
  type ClientMessage,
} from './protocol.ts';
import { YjsBudget } from './yjs-budget.ts';
import { applyForYjs, countDropped, type YjsReplies } from './yjs-refusals.ts';
import type { YConnection, YjsPeer, YjsRoomsOptions, YRoom } from './yjs-connection.ts';
import { YjsSlowReaders } from './yjs-slow-readers.ts';

export type { YjsPeer, YjsRoomsOptions } from './yjs-connection.ts';

/** After an update was dropped over budget, the connection is asked for what the server lacks this much later. */
const RESYNC_AFTER_DROP_MS = 1000;

/** This node's y-websocket connections, grouped by document. */
export class YjsRooms {
  private readonly services: Services;
  private readonly logger: Logger;
  private readonly replies: YjsReplies;
  private readonly rooms = new Map<string, YRoom>();
  private readonly pinger: NodeJS.Timeout;
  private readonly clustered: boolean;
  private readonly refusalLimit: number;
  private readonly inflight: Inflight;
  private readonly slow: YjsSlowReaders;
  private readonly onDropped: (reason: string) => void;
  private readonly awareness: DocAwareness;
  private readonly presence: NonNullable<YjsRoomsOptions['presence']> | null;

  constructor(services: Services, logger: Logger, options: YjsRoomsOptions) {
    this.slow = new YjsSlowReaders(
      options.maxBufferedBytes,
      options.onSlowReader ?? (() => undefined),
      (conn) => void this.catchUp(conn),
    );
    this.onDropped = options.onDropped ?? (() => undefined);
    this.refusalLimit = options.refusalLimit;
    this.services = services;
    this.logger = logger;
    this.replies = {
      send: (conn, message) => this.send(conn, message),
      requestSync: (conn) => this.requestSync(conn),
      logger,
    };
    this.clustered = options.clustered;
    this.inflight = options.inflight;
    const pingIntervalMs = options.pingIntervalMs;
    this.awareness = options.awareness;
    this.presence = options.presence ?? null;
    // Every change of a document's awareness, whichever transport or node it came from, goes to all
    // its connections here (the sender included, as y-websocket's own server does).
    this.awareness.onChange((name, update) => {
      const room = this.rooms.get(name);
      if (!room?.conns.size) return;
      const message = awarenessMessage(update);
      for (const conn of room.conns.values())
        if (!this.slow.heldBack(conn, message.byteLength)) this.send(conn, message);
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
    const { limits, ...rest } = peer;
    const conn: YConnection = {
      ws,
      name,
      ...rest,
      alive: true,
      refusals: new RefusalTally(this.refusalLimit),
      budget: new YjsBudget(limits),
      sync: { answered: null, busy: false, next: null },
      resync: null,
      expiry: null,
      behind: false,
      unchecked: 0,
    };
    if (peer.session.kind === 'user') {
      conn.expiry = setTimeout(
        () => this.closeWith(conn, CLOSE_TOKEN_EXPIRED, 'token expired'),
        Math.max(0, peer.session.expiresAt - Date.now()),
      );
    }
    await this.services.documents.retain(name, 1);
    const room = this.room(name);
    room.conns.set(conn.id, conn);
    this.awareness.join(name, conn);
    this.presence?.open(conn);
    ws.on('pong', () => (conn.alive = true));
    // Messages are handled concurrently (an update waits for its group commit); they reach the
    // integration step in the order they arrived, as every path there awaits the same steps.
    ws.on(
      'message',
      (data: Buffer) =>
        void this.inflight.track(
          this.receive(room, conn, new Uint8Array(data.buffer, data.byteOffset, data.byteLength)),
        ),
    );
    ws.on('close', () => void this.drop(room, conn));
    ws.on('error', () => ws.terminate());
    if (this.clustered) await this.services.documents.resync(name);
    await this.requestSync(conn);
    if (this.awareness.count(name)) this.send(conn, awarenessMessage(this.awareness.snapshot(name)));
  }

  /** Sends an accepted update to every peer of the document but its sender. */
  broadcastUpdate(name: string, update: Uint8Array, exceptConnection?: string): void {
    const room = this.rooms.get(name);
    if (!room || room.conns.size === 0 || (room.conns.size === 1 && room.conns.has(exceptConnection ?? ''))) return;
    const message = syncUpdate(update);
    const built = binaryFrame(message);
    for (const conn of room.conns.values()) {
      if (conn.id === exceptConnection || this.slow.heldBack(conn, message.byteLength)) continue;
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
    return this.slow.size;
  }

  /** A connection that fell behind has read its buffer down: the whole document, the room's awareness, and sync step 1. */
  private async catchUp(conn: YConnection): Promise<void> {
    try {
      this.send(conn, syncUpdate(await this.services.documents.encodeState(conn.name, null)));
      this.send(conn, awarenessMessage(this.awareness.snapshot(conn.name)));
      await this.requestSync(conn);
    } catch {
      conn.ws.close(CLOSE_TRY_AGAIN_LATER, 'resync failed');
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
        if (conn.session.kind === 'user' && conn.session.sessionId === sessionId)
          this.closeWith(conn, CLOSE_TOKEN_EXPIRED, 'session ended');
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
    this.slow.stop();
    for (const room of this.rooms.values())
      for (const conn of room.conns.values()) conn.ws.close(CLOSE_SERVICE_RESTART, 'server restarting');
  }

  private room(name: string): YRoom {
    const room = this.rooms.get(name);
    if (room) return room;
    const created: YRoom = { name, parsed: parseDocumentName(name), conns: new Map() };
    this.rooms.set(name, created);
    return created;
  }

  /**
   * A client's message: decoded, taken from its budget (or dropped), then handled. Everything before
   * the first await runs as the message arrives, so a burst is counted in the order it came.
   */
  private async receive(room: YRoom, conn: YConnection, data: Uint8Array): Promise<void> {
    // Closing (over budget, revoked, restarting): what is still arriving is not worth reading.
    if (conn.ws.readyState !== conn.ws.OPEN) return;
    let message: ClientMessage;
    try {
      message = readMessage(data);
    } catch (err) {
      return this.dropped(room, conn, 'malformed', err);
    }
    const kind = message.type === 'awareness' || message.type === 'query-awareness' ? 'awareness' : 'sync';
    if (!conn.budget.take(kind, data.byteLength)) {
      if (message.type === 'update') this.resyncLater(conn);
      return this.dropped(room, conn, 'rate_limited');
    }
    try {
      if (message.type === 'step1') await this.answerSync(conn, message.stateVector);
      else if (message.type === 'update') {
        // An empty update (two zero bytes) changes nothing and is not worth a write.
        if (message.update.length <= 2 && message.update.every((b) => b === 0)) return;
        await this.applyUpdate(room, conn, message.update);
      } else if (message.type === 'awareness') this.applyAwareness(room, conn, message.update);
      else if (message.type === 'query-awareness')
        this.send(conn, awarenessMessage(this.awareness.snapshot(room.name)));
    } catch (err) {
      // Dropped; the connection and the document carry on. Errors of ours (a store that is away) are not the client's strikes.
      const { code } = toPublicError(err);
      if (code === 'internal') this.dropped(room, conn, 'malformed', err);
      else this.dropped(room, conn, code, err, false);
    }
  }

  /**
   * Sync step 1 from the client, answered with what it lacks — at most once per document state.
   * After an answer the connection is sent every change as it happens (or, held back, the whole
   * document when it catches up), so a repeat while the server's state vector is unchanged has
   * nothing to learn: telling so costs one state-vector read, where answering would encode the whole
   * difference (all of the document for an empty state vector) into its buffer again. Repeats that
   * arrive while one is being answered wait as one, whatever their number.
   */
  private async answerSync(conn: YConnection, stateVector: Uint8Array): Promise<void> {
    const sync = conn.sync;
    sync.next = stateVector;
    if (sync.busy) return;
    sync.busy = true;
    try {
      for (let sv: Uint8Array | null = sync.next; sv; sv = sync.next) {
        sync.next = null;
        if (conn.behind) continue;
        const answered = sync.answered;
        if (
          answered &&
          Buffer.from(answered).equals(
            await this.services.documents.read(conn.name, null, (doc) => Y.encodeStateVector(doc)),
          )
        )
          continue;
        if (this.slow.overCap(conn)) {
          // It does not read what it is sent: the catch-up sends the whole document once it does.
          this.slow.fallBehind(conn);
          continue;
        }
        const { update, stateVector: now } = await this.services.documents.syncState(conn.name, null, sv);
        sync.answered = now;
        this.send(conn, syncStep2(update));
      }
    } finally {
      sync.busy = false;
    }
  }

  /**
   * An awareness update, with only the entries for client ids the connection holds or may claim
   * (re-encoded when some are left out). States over the size cap are dropped.
   */
  private applyAwareness(room: YRoom, conn: YConnection, update: Uint8Array): void {
    const { entries, oversize } = readAwarenessUpdate(update, MAX_AWARENESS_STATE_CHARS);
    if (oversize) this.dropped(room, conn, 'too_large');
    this.awareness.apply(room.name, conn.id, entries, oversize ? undefined : update);
  }

  /** After an update was dropped over budget: ask for what the server lacks once the budget has refilled. */
  private resyncLater(conn: YConnection): void {
    conn.resync ??= setTimeout(() => {
      conn.resync = null;
      void this.requestSync(conn).catch(() => undefined);
    }, RESYNC_AFTER_DROP_MS);
    conn.resync.unref();
  }

  /** Counts a dropped message and logs it; past the strike threshold the connection is closed (yjs-refusals.ts). */
  private dropped(room: YRoom, conn: YConnection, reason: string, err?: unknown, strike = true): void {
    this.onDropped(reason);
    if (countDropped(conn, room.name, reason, this.logger, err, strike))
      this.closeWith(conn, CLOSE_POLICY_VIOLATION, 'too many messages over budget');
  }

  /** Applies a client's update; a refusal or failure is answered as yjs-refusals.ts says. */
  private applyUpdate(room: YRoom, conn: YConnection, update: Uint8Array): Promise<void> {
    const origin = { actor: conn.actor, source: 'yjs', connectionId: conn.id } as const;
    return applyForYjs(
      conn,
      room.name,
      () => this.services.documents.applyUpdate(room.name, update, origin),
      this.replies,
    );
  }

  private async drop(room: YRoom, conn: YConnection): Promise<void> {
    if (conn.expiry) clearTimeout(conn.expiry);
    if (conn.resync) clearTimeout(conn.resync);
    this.slow.forget(conn);
    if (!room.conns.delete(conn.id)) return;
    this.awareness.leave(room.name, conn.id);
    this.presence?.close(conn);
    if (room.conns.size === 0) this.rooms.delete(room.name);
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
