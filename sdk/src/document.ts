// A Y.Doc bound to a server document through doc-subscribe / doc-update (base64: one WebSocket
// frame per update). Local changes made within one frame (16 ms) are merged and sent as one update;
// `unsyncedChanges` counts the local changes the server has not acknowledged yet, and `saved` fires
// only when it reaches zero; `synced` says whether this copy is subscribed and in step. Carets and
// selections travel on `awareness` (document-awareness.ts). What happens to a change the server did not take:
// - refused (a lock, a read-only role, a rule): the server reverts it for everyone and that revert
//   reaches this copy before the refusal; `refused` (and `error`) say why;
// - not taken now (rate limit, server unavailable, no answer, disconnected): kept and sent again,
//   with backoff;
// - depending on something the server lacks (`resync_required`), or the server asks (`doc-resync`):
//   the document subscribes again and sends everything the server does not have.
import type { Awareness } from 'y-protocols/awareness';
import * as Y from 'yjs';
import { fromBase64, toBase64 } from './base64.ts';
import type { EnsembleClient } from './client.ts';
import { DocumentAwareness } from './document-awareness.ts';
import { Emitter } from './emitter.ts';
import type { ErrorCode } from './error-codes.ts';
import { EnsembleError } from './errors.ts';

export interface DocumentEvents {
  /** Every local change so far is settled: durable on the server, or refused and reverted. */
  saved: () => void;
  /** The server acknowledged local changes: they are durable (a refusal is not an acknowledgement). */
  acknowledged: () => void;
  /** Subscribed and in step with the server (true), or not any more (false: disconnected, resyncing). */
  synced: (synced: boolean) => void;
  /** The number of local changes the server has not acknowledged changed. */
  unsyncedChanges: (count: number) => void;
  /** A local change was refused and reverted by the server (`locked`, `forbidden`, `validation_failed`, …). */
  refused: (err: EnsembleError) => void;
  /** A refusal, or a failure this document cannot recover from by itself (access revoked). */
  error: (err: EnsembleError) => void;
}

/**
 * Codes of changes the server refused and reverted: sending them again would not help (the server's
 * refusal codes, kept equal by tests/sdk/build.test.ts, and a frame too large to be read).
 */
export const REFUSED: ReadonlySet<ErrorCode> = new Set<ErrorCode>([
  'forbidden',
  'insufficient_scope',
  'user_required',
  'locked',
  'update_too_large',
  'validation_failed',
  'conflict',
  'invalid_tokens',
  'branch_read_only',
  'main_protected',
  'invalid_update',
  'payload_too_large',
]);

/**
 * At most one update per frame: a change after a quiet frame goes out at once (what others see does
 * not wait), changes while typing fast are gathered until the frame since the last send is over.
 */
const FRAME_MS = 16;
const RETRY_BASE_MS = 250;
const RETRY_MAX_MS = 5000;

interface Batch {
  update: Uint8Array;
  /** Local changes merged into it. */
  changes: number;
}

export class LiveDocument extends Emitter<DocumentEvents> {
  readonly name: string;
  readonly doc: Y.Doc;
  /** Remote carets and selections; set this client's own with `awareness.setLocalStateField()`. */
  readonly awareness: Awareness;
  /** True when this user may only read the document (the server reverts any change). */
  readOnly = false;
  /** Subscribed and in step with the server. */
  synced = false;
  private readonly client: EnsembleClient;
  private readonly presence: DocumentAwareness;
  private reportedUnsynced = 0;
  private readonly remote = Symbol('ensemble-remote');
  /** Local changes not sent yet (or to send again). */
  private outbox: Batch[] = [];
  private readonly inFlight = new Set<Batch>();
  private frame: ReturnType<typeof setTimeout> | null = null;
  private retryTimer: ReturnType<typeof setTimeout> | null = null;
  private retries = 0;
  /** A subscribe is running: sending waits for it (it sends everything the server lacks itself). */
  private syncing: Promise<void> | null = null;
  private closed = false;
  private lastSentAt = -Infinity;
  private readonly onLocalUpdate = (update: Uint8Array, origin: unknown) => {
    if (origin === this.remote || this.closed) return;
    this.outbox.push({ update, changes: 1 });
    this.counted();
    this.schedule(Math.max(0, FRAME_MS - (performance.now() - this.lastSentAt)));
  };

  constructor(client: EnsembleClient, name: string, doc: Y.Doc) {
    super();
    this.client = client;
    this.name = name;
    this.doc = doc;
    this.presence = new DocumentAwareness(client, name, doc);
    this.awareness = this.presence.awareness;
    doc.on('update', this.onLocalUpdate);
  }

  /** Local changes the server has not acknowledged yet. */
  get unsyncedChanges(): number {
    return this.pending;
  }

  /** Local changes the server has not acknowledged yet (the same as `unsyncedChanges`). */
  get pending(): number {
    let n = 0;
    for (const batch of this.outbox) n += batch.changes;
    for (const batch of this.inFlight) n += batch.changes;
    return n;
  }

  /**
   * Subscribes (or re-subscribes after a reconnect or a resync request): applies what the server
   * has, then sends in one update everything this copy has that the server lacks — changes made
   * offline, unacknowledged ones and anything refused for a missing dependency.
   */
  sync(): Promise<void> {
    this.setSynced(false);
    this.syncing ??= this.subscribe().finally(() => {
      this.syncing = null;
      this.schedule(0);
    });
    return this.syncing;
  }

  /** Applies an update the server relayed. */
  receive(update: string | Uint8Array | ArrayBuffer): void {
    const bytes =
      typeof update === 'string' ? fromBase64(update) : update instanceof Uint8Array ? update : new Uint8Array(update);
    Y.applyUpdate(this.doc, bytes, this.remote);
  }

  /** Applies an awareness update the server relayed. */
  receiveAwareness(update: string): void {
    this.presence.receive(update);
  }

  /** The connection dropped: what was in flight may not have landed and is sent again. */
  disconnected(): void {
    for (const batch of this.inFlight) this.outbox.unshift(batch);
    this.inFlight.clear();
    this.presence.disconnected();
    this.setSynced(false);
  }

  /** The server took this user's access away: syncing stops and `error` reports why. */
  revoke(reason: string): void {
    this.stop();
    this.emit('error', new EnsembleError('access_revoked', `Access to ${this.name} was revoked (${reason})`));
  }

  /** Stops syncing (the Y.Doc stays usable locally). */
  async close(): Promise<void> {
    if (this.closed) return;
    this.stop();
    if (this.client.socket.connected)
      await this.client.request('doc-unsubscribe', { docName: this.name }).catch(() => undefined);
  }

  private stop(): void {
    this.closed = true;
    this.presence.destroy();
    this.setSynced(false);
    this.doc.off('update', this.onLocalUpdate);
    if (this.frame) clearTimeout(this.frame);
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.client.forgetDocument(this.name);
  }

  private async subscribe(): Promise<void> {
    const data = await this.client.request<{
      state: string;
      stateVector: string;
      readOnly: boolean;
      awareness?: string;
    }>('doc-subscribe', {
      docName: this.name,
      encoding: 'base64',
      stateVector: toBase64(Y.encodeStateVector(this.doc)),
    });
    Y.applyUpdate(this.doc, fromBase64(data.state), this.remote);
    this.readOnly = data.readOnly;
    // Everything queued is covered by the difference to the server's state, sent below.
    const changes = this.pending;
    this.outbox = [];
    this.inFlight.clear();
    const missing = Y.encodeStateAsUpdate(this.doc, fromBase64(data.stateVector));
    // An update with no structs and no deletions is two zero bytes: nothing to send.
    if (missing.length > 2) this.outbox.push({ update: missing, changes: Math.max(1, changes) });
    else if (changes > 0) this.emit('saved');
    this.counted();
    this.presence.subscribed(data.awareness);
    if (!this.closed) this.setSynced(true);
  }

  private setSynced(synced: boolean): void {
    if (this.synced === synced) return;
    this.synced = synced;
    this.emit('synced', synced);
  }

  /** Tells listeners when the count of unacknowledged changes moved. */
  private counted(): void {
    const n = this.pending;
    if (n === this.reportedUnsynced) return;
    this.reportedUnsynced = n;
    this.emit('unsyncedChanges', n);
  }

  private schedule(delayMs: number): void {
    if (this.frame || this.retryTimer || this.closed) return;
    this.frame = setTimeout(() => {
      this.frame = null;
      this.flush();
    }, delayMs);
  }

  /** Sends what waits in the outbox as one update. */
  private flush(): void {
    if (this.closed || this.syncing || !this.outbox.length || !this.client.socket.connected) return;
    const batches = this.outbox;
    this.outbox = [];
    const batch: Batch = {
      update: batches.length === 1 ? (batches[0] as Batch).update : Y.mergeUpdates(batches.map((b) => b.update)),
      changes: batches.reduce((n, b) => n + b.changes, 0),
    };
    this.inFlight.add(batch);
    this.lastSentAt = performance.now();
    this.client.request('doc-update', { docName: this.name, update: toBase64(batch.update) }).then(
      () => this.settle(batch, null),
      (err: unknown) =>
        this.settle(batch, err instanceof EnsembleError ? err : new EnsembleError('client_error', String(err))),
    );
  }

  private settle(batch: Batch, err: EnsembleError | null): void {
    // A resubscribe or a disconnect already took this batch over.
    if (!this.inFlight.delete(batch)) return;
    if (!err) {
      this.retries = 0;
      this.counted();
      this.emit('acknowledged');
      if (this.pending === 0) this.emit('saved');
      else this.schedule(0);
      return;
    }
    if (REFUSED.has(err.code)) {
      // The server's revert of this change arrived before the refusal: nothing to send again.
      this.counted();
      this.emit('refused', err);
      this.emit('error', err);
      if (this.pending === 0) this.emit('saved');
    } else if (err.code === 'resync_required') {
      void this.sync().catch((e: unknown) => this.client.report(e));
    } else if (err.code === 'not_found' || err.code === 'access_revoked') {
      this.stop();
      this.emit('error', err);
    } else {
      // Not taken now (rate limit, unavailable, timeout): keep it and try again later.
      this.outbox.unshift(batch);
      const delay = Math.min(RETRY_MAX_MS, RETRY_BASE_MS * 2 ** this.retries++);
      this.retryTimer ??= setTimeout(() => {
        this.retryTimer = null;
        this.flush();
      }, delay);
    }
  }
}
