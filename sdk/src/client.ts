// The connection to an Ensemble server: authenticates the Socket.IO handshake (the token function
// is called on every connect and whenever the server asks for a fresh token), turns every ack into
// a resolved value or an EnsembleError, routes room and document events, keeps `status`, and after
// a reconnect re-joins rooms and re-syncs documents. Reconnect policy: lifecycle.ts.
import { io, type ManagerOptions, type Socket, type SocketOptions } from 'socket.io-client';
import * as Y from 'yjs';
import { LiveDocument } from './document.ts';
import { Emitter } from './emitter.ts';
import type { ErrorCode } from './error-codes.ts';
import { EnsembleError, toEnsembleError } from './errors.ts';
import { Lifecycle } from './lifecycle.ts';
import { restRequest, type RequestOptions, type TokenSource } from './rest.ts';
import { DesignSystemRoom } from './room.ts';
import type { Ack, ConnectionStatus, Notification, RoomPayload } from './types.ts';

export interface EnsembleClientOptions {
  /** The server's base URL, e.g. `https://ensemble.example.com`. */
  url: string;
  /**
   * An access token or API key, or a function returning a fresh one (called on every connect, and
   * when the server asks for a fresh token before the current one expires; see
   * `createTokenRefresher`). With a plain access token the connection ends when the token does.
   */
  token: TokenSource;
  /** How long to wait for an ack (default 10 s). */
  timeoutMs?: number;
  /** Least time between two cursor moves sent (default 50 ms, the server's own tick: ≤ 20/s). */
  cursorThrottleMs?: number;
  /** Least time between two awareness updates sent for a document (default 50 ms). */
  awarenessThrottleMs?: number;
  /** The token (function) could not get a connection: sign the user in again. */
  onAuthenticationFailed?: (err: EnsembleError) => void;
  /** Extra socket.io-client options (reconnection, transports, …). */
  socket?: Partial<ManagerOptions & SocketOptions>;
}

export interface ClientEvents {
  status: (status: ConnectionStatus) => void;
  connected: () => void;
  disconnected: (reason: string) => void;
  /** A refusal of the connection, the server's reason for closing it, or a background failure. */
  error: (err: EnsembleError) => void;
  notification: (notification: Notification) => void;
}

/** Room events: those with a `designSystemId` go to that room, the others to every joined room. */
const ROOM_EVENTS = [
  'presence-update',
  'user-joined',
  'user-left',
  'cursor-update',
  'selection-update',
  'typing-users',
  'component-locked',
  'component-unlocked',
  'component-changed',
  'token-changed',
  'conflict-detected',
  'comment-added',
  'comment-updated',
  'comment-deleted',
  'comment-resolved',
  'comment-reopened',
  'reaction-added',
  'reaction-removed',
  'design-system-published',
  'branch-created',
  'branch-closed',
  'branch-deleted',
  'merge-request-updated',
  'branch-merged',
  'github-sync-conflict',
  'access-revoked',
] as const;

type HandshakeError = Error & { data?: { code?: string; message?: string } };
const handshakeError = (err: HandshakeError) =>
  new EnsembleError(
    err.data?.code ?? (err.message === 'timeout' ? 'timeout' : 'service_unavailable'),
    err.data?.message ?? err.message,
  );

export class EnsembleClient extends Emitter<ClientEvents> {
  readonly socket: Socket;
  readonly url: string;
  /** @internal */ readonly cursorThrottleMs: number;
  /** @internal */ readonly awarenessThrottleMs: number;
  private readonly timeoutMs: number;
  private readonly token: TokenSource;
  private readonly rooms = new Map<string, DesignSystemRoom>();
  private readonly documents = new Map<string, LiveDocument>();
  private readonly lifecycle: Lifecycle;
  private connectedOnce = false;

  constructor(options: EnsembleClientOptions) {
    super();
    this.url = options.url;
    this.timeoutMs = options.timeoutMs ?? 10_000;
    this.cursorThrottleMs = options.cursorThrottleMs ?? 50;
    this.awarenessThrottleMs = options.awarenessThrottleMs ?? 50;
    const token = (this.token = options.token);
    this.socket = io(options.url, {
      transports: ['websocket'],
      ...options.socket,
      auth: (cb) => {
        // A token function that fails connects without a token: the server refuses with `unauthenticated`.
        Promise.resolve()
          .then(() => (typeof token === 'function' ? token() : token))
          .then(
            (t) => cb({ token: t }),
            (err: unknown) => {
              this.report(err);
              cb({});
            },
          );
      },
    });
    this.lifecycle = new Lifecycle(
      this.socket,
      {
        status: (status) => this.emit('status', status),
        authenticationFailed: (err) => options.onAuthenticationFailed?.(err),
        renewable: typeof token === 'function',
      },
      options.socket?.autoConnect !== false,
    );
    this.socket.on('connect', () => {
      this.lifecycle.connected();
      if (this.connectedOnce) void this.resume();
      this.connectedOnce = true;
      this.emit('connected');
    });
    this.socket.on('disconnect', (reason) => {
      for (const doc of this.documents.values()) doc.disconnected();
      this.emit('disconnected', reason);
      this.lifecycle.disconnected(reason, (code) => new EnsembleError(code, 'The access token expired'));
    });
    // The server says why before it closes a connection on purpose.
    this.socket.on('error', (p: { code?: unknown; message?: unknown }) => {
      const err = new EnsembleError(
        typeof p?.code === 'string' ? p.code : 'server_error',
        typeof p?.message === 'string' ? p.message : 'The server closed the connection',
      );
      this.lifecycle.kicked(err.code);
      this.emit('error', err);
    });
    // The server asks for a fresh access token before the current one expires.
    this.socket.on('reauth', (p: { expiresAt?: unknown }) => {
      if (typeof token !== 'function') return;
      // The expiry the server will close at: a token function is asked for one lasting longer.
      const expiringAfter = typeof p?.expiresAt === 'string' ? Date.parse(p.expiresAt) : Number.NaN;
      Promise.resolve()
        .then(() => token(Number.isFinite(expiringAfter) ? { expiringAfter } : undefined))
        .then((fresh) => this.request('reauth', { token: fresh }))
        .catch((err: unknown) => this.report(err));
    });
    this.socket.on('connect_error', (err: HandshakeError) => {
      const error = handshakeError(err);
      this.emit('error', error);
      this.lifecycle.refused(error);
    });
    for (const event of ROOM_EVENTS) this.socket.on(event, (payload: RoomPayload) => this.route(event, payload));
    this.socket.on('doc-update', (p: { docName: string; update: string | Uint8Array }) =>
      this.documents.get(p.docName)?.receive(p.update),
    );
    this.socket.on('doc-awareness', (p: { docName: string; update: string }) =>
      this.documents.get(p.docName)?.receiveAwareness(p.update),
    );
    this.socket.on(
      'doc-resync',
      (p: { docName: string }) =>
        void this.documents
          .get(p.docName)
          ?.sync()
          .catch((err: unknown) => this.report(err)),
    );
    this.socket.on('notification', (p: { notification: Notification }) => this.emit('notification', p.notification));
  }

  /** `connecting`, `connected`, `reconnecting` (it will try again by itself) or `disconnected`. */
  get status(): ConnectionStatus {
    return this.lifecycle.status;
  }

  /** Resolves once connected; rejects with the server's refusal (e.g. `invalid_token`). */
  ready(): Promise<void> {
    if (this.socket.connected) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const ok = () => {
        this.socket.off('connect_error', fail);
        resolve();
      };
      const fail = (err: HandshakeError) => {
        this.socket.off('connect', ok);
        reject(handshakeError(err));
      };
      this.socket.once('connect', ok);
      this.socket.once('connect_error', fail);
    });
  }

  /** Connects again at once, skipping any backoff (the browser's `online` event does this too). */
  reconnect(): void {
    this.lifecycle.revive();
  }

  /** Emits an event and resolves with the ack's `data`, or rejects with an EnsembleError. */
  async request<T = void>(event: string, payload: unknown): Promise<T> {
    let ack: Ack<T>;
    try {
      ack = (await this.socket.timeout(this.timeoutMs).emitWithAck(event, payload)) as Ack<T>;
    } catch {
      throw new EnsembleError('timeout', `No answer to ${event} within ${this.timeoutMs} ms`);
    }
    if (!ack.ok) throw new EnsembleError(ack.error.code, ack.error.message, ack.error.details);
    return ack.data as T;
  }

  /** A REST call with this client's token, e.g. `client.api('/api/notifications')`. */
  api<T = unknown>(path: string, options?: RequestOptions): Promise<T> {
    return restRequest<T>(this.url, this.token, path, options);
  }

  /** Joins a design system's room: presence, cursors, typing, locks, comments. */
  async joinDesignSystem(designSystemId: string): Promise<DesignSystemRoom> {
    await this.ready();
    const room = this.rooms.get(designSystemId) ?? new DesignSystemRoom(this, designSystemId);
    this.rooms.set(designSystemId, room);
    try {
      await room.join();
    } catch (err) {
      this.rooms.delete(designSystemId);
      throw err;
    }
    return room;
  }

  /**
   * Binds a Y.Doc to a server document (`component:<id>` or `tokens:<designSystemId>`) and
   * resolves once the first sync is done. `doc.awareness` carries carets and selections.
   */
  async openDocument(name: string, doc: Y.Doc = new Y.Doc()): Promise<LiveDocument> {
    await this.ready();
    const existing = this.documents.get(name);
    if (existing) return existing;
    const live = new LiveDocument(this, name, doc);
    this.documents.set(name, live);
    try {
      await live.sync();
    } catch (err) {
      await live.close();
      throw err;
    }
    return live;
  }

  close(): void {
    this.lifecycle.close();
    for (const doc of [...this.documents.values()]) void doc.close();
    this.socket.close();
  }

  /** @internal */
  forgetRoom(id: string): void {
    this.rooms.delete(id);
  }

  /** @internal */
  forgetDocument(name: string): void {
    this.documents.delete(name);
  }

  /** @internal A background failure. */
  report(err: unknown): void {
    this.emit('error', toEnsembleError(err));
  }

  private route(event: string, payload: RoomPayload): void {
    if (event === 'access-revoked' && typeof payload.docName === 'string') {
      this.documents.get(payload.docName)?.revoke(String(payload.reason));
      return;
    }
    if (event === 'access-revoked' && payload.designSystemId === undefined) {
      // The whole connection: the session ended or the key was revoked; the close follows.
      const code = String(payload.reason) as ErrorCode;
      this.lifecycle.kicked(code);
      this.emit('error', new EnsembleError(code, `Access was revoked (${code})`));
    }
    if (typeof payload.designSystemId === 'string') this.rooms.get(payload.designSystemId)?.handle(event, payload);
    else for (const room of this.rooms.values()) room.handle(event, payload);
  }

  /** After a reconnect: join the rooms again and bring every document back in step. */
  private async resume(): Promise<void> {
    for (const room of this.rooms.values()) await room.join().catch((err: unknown) => this.report(err));
    for (const doc of this.documents.values()) await doc.sync().catch((err: unknown) => this.report(err));
  }
}
