// One simulated editor. A "full" client keeps a real Y.Doc of the shared document and applies
// everything it receives (one per document, for the convergence check). A "parse-only" client
// decodes what it receives (Y.decodeUpdate, in the tracker) but never applies it, so the client
// process stays cheap and the server is what gets measured. A parse-only client still produces
// genuine Yjs updates: its Y.Doc holds only its own edits, so each insert lands at a random
// position among its own earlier text (in the shared document, other clients' text sits between).
import * as Y from 'yjs';
import { EDIT_LENGTH, type DeliveryTracker } from './tracker.ts';
import type { DocSink, Transport } from './transport.ts';

const REMOTE = Symbol('remote');
const ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';

export class BenchClient implements DocSink {
  readonly doc = new Y.Doc();
  readonly text = this.doc.getText('code');
  readonly full: boolean;
  readonly docIndex: number;
  /** The server node this client connects to (scale-out runs; 0 otherwise). */
  node = 0;
  edits = 0;
  transport: Transport | undefined;
  private readonly tracker: DeliveryTracker | undefined;

  constructor(options: { full: boolean; docIndex: number; tracker?: DeliveryTracker; maxEdits?: number }) {
    this.full = options.full;
    this.docIndex = options.docIndex;
    this.tracker = options.tracker;
    this.tracker?.register(this.doc.clientID, options.maxEdits ?? 0);
    this.doc.on('update', (update: Uint8Array, origin: unknown) => {
      if (origin !== REMOTE) this.transport?.send(update);
    });
  }

  /** Inserts EDIT_LENGTH characters at a random position; the update goes out synchronously. */
  edit(): void {
    const index = this.edits++;
    this.tracker?.recordSend(this.doc.clientID, index, performance.now());
    let chunk = '';
    for (let i = 0; i < EDIT_LENGTH; i++) chunk += ALPHABET[(index * 7 + i * 13 + this.doc.clientID) % ALPHABET.length];
    this.text.insert(Math.floor(Math.random() * (this.text.length + 1)), chunk);
  }

  onSyncState(state: Uint8Array): void {
    if (this.full) Y.applyUpdate(this.doc, state, REMOTE);
    else Y.decodeUpdate(state);
  }

  onUpdate(update: Uint8Array): void {
    this.tracker?.recordReceive(this.doc.clientID, update, performance.now());
    if (this.full) Y.applyUpdate(this.doc, update, REMOTE);
  }

  stateVector(): Uint8Array {
    return Y.encodeStateVector(this.doc);
  }

  stateAsUpdate(stateVector?: Uint8Array): Uint8Array {
    return Y.encodeStateAsUpdate(this.doc, stateVector);
  }

  close(): void {
    this.transport?.close();
    this.doc.destroy();
  }
}
