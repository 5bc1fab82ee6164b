// Keeps the relational rows (`components`, `design_tokens`) in step with their documents. REST
// writes materialise at once; live edits are debounced per document, and any read can flush first.
import type { DocumentChange, DocumentService } from './document.service.ts';
import type { DocumentKind } from './document-names.ts';
import { parseDocumentName } from './document-names.ts';

export type MaterialiseHandler = (id: string) => Promise<void>;

/** Debounced row materialisation per document. */
export class Materialiser {
  private readonly handlers: Record<DocumentKind, MaterialiseHandler>;
  private readonly debounceMs: number;
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly running = new Map<string, Promise<void>>();
  private readonly onError: (err: unknown, name: string) => void;

  constructor(documents: DocumentService, handlers: Record<DocumentKind, MaterialiseHandler>, debounceMs: number, onError: (err: unknown, name: string) => void) {
    this.handlers = handlers;
    this.debounceMs = debounceMs;
    this.onError = onError;
    documents.onChange((change: DocumentChange) => {
      // REST writes materialise inline. Remote changes are materialised here too: if the node that
      // made them dies inside its debounce, the row still catches up (an unchanged row is a no-op).
      if (change.origin.source !== 'rest') this.schedule(change.name);
    });
  }

  /** Materialises a document's rows now (waiting for a run already in progress). */
  async run(name: string): Promise<void> {
    const timer = this.timers.get(name);
    if (timer) clearTimeout(timer);
    this.timers.delete(name);
    const previous = this.running.get(name);
    const { kind, id } = parseDocumentName(name);
    const next = (previous ?? Promise.resolve()).catch(() => undefined).then(() => this.handlers[kind](id));
    this.running.set(name, next);
    try {
      await next;
    } finally {
      if (this.running.get(name) === next) this.running.delete(name);
    }
  }

  /** Runs a pending materialisation now, if there is one. */
  async flush(name: string): Promise<void> {
    if (this.timers.has(name)) await this.run(name);
    else await this.running.get(name);
  }

  /** Flushes everything pending (shutdown). */
  async flushAll(): Promise<void> {
    await Promise.all([...this.timers.keys()].map((name) => this.run(name).catch((err: unknown) => this.onError(err, name))));
  }

  private schedule(name: string): void {
    if (this.timers.has(name)) return;
    const timer = setTimeout(() => {
      this.run(name).catch((err: unknown) => this.onError(err, name));
    }, this.debounceMs);
    timer.unref();
    this.timers.set(name, timer);
  }
}
