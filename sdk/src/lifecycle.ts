// When and how the client connects again. socket.io-client retries a dropped transport by itself,
// but never a connection the server closed or a refused handshake; this decides those, backs off,
// renews the token through the app's token function, and reconnects at once when the browser comes
// back online. It also keeps `status`.
import type { Socket } from 'socket.io-client';
import type { ErrorCode } from './error-codes.ts';
import type { EnsembleError } from './errors.ts';
import type { ConnectionStatus } from './types.ts';

/** Reasons the server closes a connection on purpose: not retried. */
const DELIBERATE_KICKS = new Set<string>([
  'rate_limited',
  'too_many_refusals',
  'session_revoked',
  'credential_revoked',
]);
/** Handshake refusals that pass by themselves. */
const RETRYABLE_HANDSHAKE = new Set<string>([
  'service_unavailable',
  'internal',
  'rate_limited',
  'timeout',
  'server_error',
]);
/** Handshake refusals a fresh token may cure. */
const AUTH_FAILURES = new Set<string>(['invalid_token', 'unauthenticated', 'token_expired']);
const BACKOFF_BASE_MS = 250;
const BACKOFF_MAX_MS = 5000;

/** The browser's window (or nothing, in Node and workers without one). */
const host = globalThis as {
  addEventListener?: (type: 'online', listener: () => void) => void;
  removeEventListener?: (type: 'online', listener: () => void) => void;
};

export interface LifecycleHooks {
  /** The status changed. */
  status(status: ConnectionStatus): void;
  /** The token function (if any) could not produce a token the server takes: the app should sign in again. */
  authenticationFailed(err: EnsembleError): void;
  /** Whether the app gave a function (so a retry may bring a fresh token). */
  renewable: boolean;
}

export class Lifecycle {
  status: ConnectionStatus;
  private readonly socket: Socket;
  private readonly hooks: LifecycleHooks;
  private retries = 0;
  private authRetries = 0;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private closed = false;
  /** Why the server said it is about to close this connection, if it did. */
  private kick: ErrorCode | null = null;
  private readonly onOnline = () => this.revive();

  constructor(socket: Socket, hooks: LifecycleHooks, autoConnect: boolean) {
    this.socket = socket;
    this.hooks = hooks;
    this.status = autoConnect ? 'connecting' : 'disconnected';
    socket.io.on('reconnect_attempt', () => this.set('reconnecting'));
    socket.io.on('reconnect_failed', () => this.set('disconnected'));
    host.addEventListener?.('online', this.onOnline);
  }

  connected(): void {
    this.retries = 0;
    this.authRetries = 0;
    this.kick = null;
    this.set('connected');
  }

  /** The server said why it is about to close the connection. */
  kicked(code: ErrorCode): void {
    this.kick = code;
  }

  disconnected(reason: string, err: (code: ErrorCode) => EnsembleError): void {
    const kick = this.kick;
    this.kick = null;
    if (this.closed) return this.set('disconnected');
    if (reason !== 'io server disconnect') {
      // socket.io-client reconnects by itself unless the app turned that off.
      return this.set(this.socket.io.reconnection() ? 'reconnecting' : 'disconnected');
    }
    if (kick && DELIBERATE_KICKS.has(kick)) return this.set('disconnected');
    if (kick === 'token_expired' && !this.hooks.renewable) {
      this.hooks.authenticationFailed(err('token_expired'));
      return this.set('disconnected');
    }
    this.retry();
  }

  /** A refused or failed handshake. */
  refused(error: EnsembleError): void {
    if (this.closed) return;
    // socket.io-client keeps trying after a transport failure; a refusal by the server it leaves.
    if (this.socket.active) return this.set('reconnecting');
    if (AUTH_FAILURES.has(error.code)) {
      // A token function may hand out a fresh token on the next try; once is enough to know.
      if (this.hooks.renewable && this.authRetries++ === 0) return this.retry();
      this.hooks.authenticationFailed(error);
      return this.set('disconnected');
    }
    if (RETRYABLE_HANDSHAKE.has(error.code)) return this.retry();
    this.set('disconnected');
  }

  /** Connects again now (the browser came back online, or the app asked). */
  revive(): void {
    if (this.closed || this.socket.connected) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.retries = 0;
    // Drop any backoff socket.io-client is waiting out, then open afresh.
    this.socket.disconnect();
    this.set('connecting');
    this.socket.connect();
  }

  close(): void {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    host.removeEventListener?.('online', this.onOnline);
    this.set('disconnected');
  }

  private retry(): void {
    this.set('reconnecting');
    if (this.timer) return;
    const delay = Math.min(BACKOFF_MAX_MS, BACKOFF_BASE_MS * 2 ** this.retries++);
    this.timer = setTimeout(() => {
      this.timer = null;
      if (!this.closed && !this.socket.connected) this.socket.connect();
    }, delay);
  }

  private set(status: ConnectionStatus): void {
    if (this.status === status) return;
    this.status = status;
    this.hooks.status(status);
  }
}
