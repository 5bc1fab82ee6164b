// The connection to an Ensemble server: authenticates the Socket.IO handshake, turns every ack
// into a resolved value or an EnsembleError, routes room and document events, and re-joins rooms
// and re-syncs documents after a reconnect.
import { io, type ManagerOptions, type Socket, type SocketOptions } from 'socket.io-client';
import * as Y from 'yjs';
import { LiveDocument } from './document.ts';
import { Emitter } from './emitter.ts';
import { EnsembleError } from './errors.ts';
import { DesignSystemRoom } from './room.ts';
import type { Ack } from './types.ts';

export interface EnsembleClientOptions {
  /** The server's base URL, e.g. `https://ensemble.example.com`. */
  url: string;
  /**
   * An access token or API key, or a function returning a fresh one (called on every connect, and
   * when the server asks for a fresh token before the current one expires). With a plain access
   * token the connection ends when the token does.
   */
  token: string | (() => string | Promise<string>);
  /** How long to wait for an ack (default 10 s). */
  timeoutMs?: number;
  /** Extra socket.io-client options (reconnection, transports, …). */
  socket?: Partial<ManagerOptions & SocketOptions>;
}

export interface ClientEvents {
  connected: () => void;
  disconnected: (reason: string) => void;
  /** A connection refusal or a background failure (a cursor move refused, a re-join failing). */
  error: (err: EnsembleError) => void;
  notification: (notification: Record<string, unknown>) => void;
}

/** Room events that carry `designSystemId`; others go to every joined room. */
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
  'access-revoked',
] as const;

/** Reasons the server closes a connection on purpose: not retried. */
const DELIBERATE_KICKS = new Set(['rate_limited', 'too_many_refusals', 'session_revoked', 'credential_revoked']);

/** Handshake refusals that pass by themselves. */
const RETRYABLE_HANDSHAKE = new Set(['service_unavailable', 'internal', 'rate_limited']);

const toError = (err: unknown): EnsembleError =>
  err instanceof EnsembleError ? err : new EnsembleError('client_error', err instanceof Error ? err.message : String(err));

export class EnsembleClient extends Emitter<ClientEvents> {
  readonly socket: Socket;
  private readonly timeoutMs: number;
  private readonly rooms = new Map<string, DesignSystemRoom>();
  private readonly documents = new Map<string, LiveDocument>();
  private connectedOnce = false;
  private readonly token: EnsembleClientOptions['token'];
  private closed = false;
  private handshakeRetries = 0;
  /** Why the server said it is about to close this connection, if it did. */
  private kick: string | null = null;

  constructor(options: EnsembleClientOptions) {
    super();
    this.timeoutMs = options.timeoutMs ?? 10_000;
    const token = options.token;
    this.token = token;
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
    this.socket.on('connect', () => {
      this.handshakeRetries = 0;
      if (this.connectedOnce) void this.resume();
      this.connectedOnce = true;
      this.emit('connected');
    });
    this.socket.on('disconnect', (reason) => {
      for (const doc of this.documents.values()) doc.disconnected();
      const kick = this.kick;
      this.kick = null;
      this.emit('disconnected', reason);
      // socket.io-client never reconnects after the server closed the connection itself. A
      // deliberate kick (abuse, a revoked session or key) stays closed and was reported through
      // `error`; an expired token is renewed by a token function; anything else is tried again.
      if (reason !== 'io server disconnect' || this.closed) return;
      if (kick && DELIBERATE_KICKS.has(kick)) return;
      if (kick === 'token_expired' && typeof this.token !== 'function') return;
      const delay = Math.min(5000, 250 * 2 ** this.handshakeRetries++);
      setTimeout(() => !this.closed && !this.socket.connected && this.socket.connect(), delay);
    });
    // The server says why before it closes a connection on purpose.
    this.socket.on('error', (p: { code?: unknown; message?: unknown }) => {
      const code = typeof p?.code === 'string' ? p.code : 'server_error';
      this.kick = code;
      this.emit('error', new EnsembleError(code, typeof p?.message === 'string' ? p.message : code));
    });
    // The server asks for a fresh access token before the current one expires.
    this.socket.on('reauth', () => {
      const token = this.token;
      if (typeof token !== 'function') return;
      Promise.resolve()
        .then(() => token())
        .then((fresh) => this.request('reauth', { token: fresh }))
        .catch((err: unknown) => this.report(err));
    });
    this.socket.on('connect_error', (err: Error & { data?: { code?: string; message?: string } }) => {
      const code = err.data?.code ?? err.message;
      this.emit('error', new EnsembleError(code, err.data?.message ?? err.message));
      // A refusal by the server's handshake is not retried by socket.io-client; a passing one
      // (the server's database or Redis is down, or it is busy) is worth trying again.
      if (!this.socket.active && RETRYABLE_HANDSHAKE.has(code) && !this.closed) {
        const delay = Math.min(5000, 250 * 2 ** this.handshakeRetries++);
        setTimeout(() => !this.closed && !this.socket.connected && this.socket.connect(), delay);
      }
    });
    for (const event of ROOM_EVENTS) this.socket.on(event, (payload: Record<string, unknown>) => this.route(event, payload));
    this.socket.on('doc-update', (p: { docName: string; update: string | Uint8Array }) => this.documents.get(p.docName)?.receive(p.update));
    this.socket.on('doc-resync', (p: { docName: string }) => void this.documents.get(p.docName)?.sync().catch((err: unknown) => this.report(err)));
    this.socket.on('notification', (p: { notification: Record<string, unknown> }) => this.emit('notification', p.notification));
  }

  /** Resolves once connected; rejects with the server's refusal (e.g. `invalid_token`). */
  ready(): Promise<void> {
    if (this.socket.connected) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const ok = () => {
        this.socket.off('connect_error', fail);
        resolve();
      };
      const fail = (err: Error & { data?: { code?: string; message?: string } }) => {
        this.socket.off('connect', ok);
        reject(new EnsembleError(err.data?.code ?? err.message, err.data?.message ?? err.message));
      };
      this.socket.once('connect', ok);
      this.socket.once('connect_error', fail);
    });
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

  /** Joins a design system's room: presence, cursors, typing, locks. */
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
   * resolves once the first sync is done.
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
    this.closed = true;
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
    this.emit('error', toError(err));
  }

  private route(event: string, payload: Record<string, unknown>): void {
    if (event === 'access-revoked' && typeof payload.docName === 'string') {
      this.documents.get(payload.docName)?.revoke(String(payload.reason));
      return;
    }
    if (event === 'access-revoked' && payload.designSystemId === undefined) {
      // The whole connection: the session ended or the key was revoked; the close follows.
      this.kick = String(payload.reason);
      this.emit('error', new EnsembleError(this.kick, `Access was revoked (${this.kick})`));
    }
    const target = typeof payload.designSystemId === 'string' ? this.rooms.get(payload.designSystemId) : undefined;
    if (typeof payload.designSystemId === 'string') target?.handle(event, payload);
    else for (const room of this.rooms.values()) room.handle(event, payload);
  }

  /** After a reconnect: join the rooms again and bring every document back in step. */
  private async resume(): Promise<void> {
    for (const room of this.rooms.values()) await room.join().catch((err: unknown) => this.report(err));
    for (const doc of this.documents.values()) await doc.sync().catch((err: unknown) => this.report(err));
  }
}
