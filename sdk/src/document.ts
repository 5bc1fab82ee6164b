// A Y.Doc bound to a server document through doc-subscribe / doc-update (base64: one WebSocket
// frame per update). Local changes are sent as they happen and acknowledged once durable; after a
// reconnect the document re-subscribes and sends whatever the server does not have yet, so edits
// made while offline are not lost.
import * as Y from 'yjs';
import { fromBase64, toBase64 } from './base64.ts';
import type { EnsembleClient } from './client.ts';
import { Emitter } from './emitter.ts';
import { EnsembleError } from './errors.ts';

export interface DocumentEvents {
  /** Every local update the server has made durable. */
  saved: () => void;
  /** A local update was refused (e.g. `locked`, `forbidden`); the error is an EnsembleError. */
  error: (err: unknown) => void;
}

export class LiveDocument extends Emitter<DocumentEvents> {
  readonly name: string;
  readonly doc: Y.Doc;
  /** True when this user may only read the document (writes would be refused). */
  readOnly = false;
  private readonly client: EnsembleClient;
  private readonly remote = Symbol('ensemble-remote');
  private inFlight = 0;
  private closed = false;
  private readonly onLocalUpdate = (update: Uint8Array, origin: unknown) => {
    if (origin === this.remote || this.closed || !this.client.socket.connected) return;
    this.send(update);
  };

  constructor(client: EnsembleClient, name: string, doc: Y.Doc) {
    super();
    this.client = client;
    this.name = name;
    this.doc = doc;
    doc.on('update', this.onLocalUpdate);
  }

  /** Local updates sent but not acknowledged yet. */
  get pending(): number {
    return this.inFlight;
  }

  /**
   * Subscribes (or re-subscribes after a reconnect): applies the server's state, then sends what
   * this copy has that the server lacks (edits made offline or before the first sync).
   */
  async sync(): Promise<void> {
    const data = await this.client.request<{ state: string; readOnly: boolean }>('doc-subscribe', { docName: this.name, encoding: 'base64' });
    const state = fromBase64(data.state);
    this.readOnly = data.readOnly;
    Y.applyUpdate(this.doc, state, this.remote);
    if (this.readOnly) return;
    const missing = Y.encodeStateAsUpdate(this.doc, Y.encodeStateVectorFromUpdate(state));
    // An update with no structs and no deletions is two zero bytes: nothing to send.
    if (missing.length > 2) this.send(missing);
  }

  /** Applies an update the server relayed. */
  receive(update: string | Uint8Array | ArrayBuffer): void {
    const bytes = typeof update === 'string' ? fromBase64(update) : update instanceof Uint8Array ? update : new Uint8Array(update);
    Y.applyUpdate(this.doc, bytes, this.remote);
  }

  /** The server took this user's access away: syncing stops and `error` reports why. */
  revoke(reason: string): void {
    this.closed = true;
    this.doc.off('update', this.onLocalUpdate);
    this.client.forgetDocument(this.name);
    this.emit('error', new EnsembleError('access_revoked', `Access to ${this.name} was revoked (${reason})`));
  }

  /** Stops syncing (the Y.Doc stays usable locally). */
  async close(): Promise<void> {
    this.closed = true;
    this.doc.off('update', this.onLocalUpdate);
    this.client.forgetDocument(this.name);
    if (this.client.socket.connected) await this.client.request('doc-unsubscribe', { docName: this.name }).catch(() => undefined);
  }

  private send(update: Uint8Array): void {
    this.inFlight++;
    this.client
      .request('doc-update', { docName: this.name, update: toBase64(update) })
      .then(
        () => {
          if (--this.inFlight === 0) this.emit('saved');
        },
        (err: unknown) => {
          this.inFlight--;
          this.emit('error', err);
        },
      );
  }
}
