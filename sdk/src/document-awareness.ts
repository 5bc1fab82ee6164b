// A live document's y-protocols Awareness (carets, selections, names) over `doc-awareness`, shared
// with y-websocket clients of the same document: editor bindings (y-codemirror.next, y-monaco,
// y-prosemirror) take it as is. Changes to this client's own state are throttled (the latest always
// goes out; a client speaks only for itself, the server drops anything else); the server's copy arrives with each subscribe; remote states are dropped while
// disconnected so no stale caret stays on screen.
import * as awarenessProtocol from 'y-protocols/awareness';
import type * as Y from 'yjs';
import { fromBase64, toBase64 } from './base64.ts';
import type { EnsembleClient } from './client.ts';

interface Change {
  added: number[];
  updated: number[];
  removed: number[];
}

export class DocumentAwareness {
  readonly awareness: awarenessProtocol.Awareness;
  private readonly client: EnsembleClient;
  private readonly docName: string;
  private dirty = false;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private lastSentAt = 0;
  private live = false;
  private readonly onUpdate = ({ added, updated, removed }: Change, origin: unknown) => {
    const own = this.awareness.clientID;
    if (origin === this || ![added, updated, removed].some((ids) => ids.includes(own))) return;
    this.dirty = true;
    this.schedule();
  };

  constructor(client: EnsembleClient, docName: string, doc: Y.Doc) {
    this.client = client;
    this.docName = docName;
    this.awareness = new awarenessProtocol.Awareness(doc);
    this.awareness.on('update', this.onUpdate);
  }

  /** After a subscribe: take the server's states, then tell it ours. */
  subscribed(update: string | undefined): void {
    this.live = true;
    if (update) this.receive(update);
    this.dirty = true;
    this.schedule();
  }

  receive(update: string): void {
    awarenessProtocol.applyAwarenessUpdate(this.awareness, fromBase64(update), this);
  }

  /** The connection dropped: others' carets go until the next subscribe brings them back. */
  disconnected(): void {
    this.live = false;
    const others = [...this.awareness.getStates().keys()].filter((id) => id !== this.awareness.clientID);
    awarenessProtocol.removeAwarenessStates(this.awareness, others, this);
  }

  /** Tells the others this client left, then stops. */
  destroy(): void {
    if (this.timer) clearTimeout(this.timer);
    this.awareness.off('update', this.onUpdate);
    if (this.live && this.client.socket.connected) {
      this.awareness.setLocalState(null);
      const update = toBase64(awarenessProtocol.encodeAwarenessUpdate(this.awareness, [this.awareness.clientID]));
      this.client.request('doc-awareness', { docName: this.docName, update }).catch(() => undefined);
    }
    this.live = false;
    this.awareness.destroy();
  }

  private schedule(): void {
    if (this.timer || !this.live) return;
    const wait = Math.max(0, this.lastSentAt + this.client.awarenessThrottleMs - Date.now());
    this.timer = setTimeout(() => {
      this.timer = null;
      this.flush();
    }, wait);
  }

  private flush(): void {
    if (!this.live || !this.dirty || !this.client.socket.connected) return;
    this.dirty = false;
    this.lastSentAt = Date.now();
    const update = toBase64(awarenessProtocol.encodeAwarenessUpdate(this.awareness, [this.awareness.clientID]));
    this.client
      .request('doc-awareness', { docName: this.docName, update })
      .catch((err: unknown) => this.client.report(err));
  }
}
