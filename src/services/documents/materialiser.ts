// Keeps the relational rows (`components`, `design_tokens`) in step with their documents. REST
// writes materialise at once; live edits are debounced per document, and any read can flush first.
// A run that fails (the database is down) is retried with backoff until the row agrees.
import type { DocumentChange } from './document-change.ts';
import type { DocumentService } from './document.service.ts';
import type { DocumentKind } from './document-names.ts';
import { parseDocumentName } from './document-names.ts';
import { AppError } from '../../utils/errors.ts';

export type MaterialiseHandler = (id: string) => Promise<void>;

const RETRY_BASE_MS = 250;
const RETRY_MAX_MS = 10_000;

/** Debounced row materialisation per document. */
export class Materialiser {
  private readonly handlers: Record<DocumentKind, MaterialiseHandler>;
  private readonly debounceMs: number;
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly running = new Map<string, Promise<void>>();
  private readonly onError: (err: unknown, name: string) => void;

  constructor(
    documents: DocumentService,
    handlers: Record<DocumentKind, MaterialiseHandler>,
    debounceMs: number,
    onError: (err: unknown, name: string) => void,
  ) {
    this.handlers = handlers;
    this.debounceMs = debounceMs;
    this.onError = onError;
    documents.onChange((change: DocumentChange) => {
      // REST writes materialise inline. Remote changes are materialised here too: if the node that
      // made them dies inside its debounce, the row still catches up (an unchanged row is a no-op).
      // A branch's documents have no rows: REST reads main's (docs/branches.md).
      if (change.origin.source !== 'rest' && !change.parsed.branchId) this.schedule(change.name);
    });
    // A copy dropped after a failure may have been materialised with what the log lacks.
    documents.onResyncNeeded((name) => !parseDocumentName(name).branchId && this.schedule(name));
  }

  /**
   * Materialises a document's rows now (waiting for a run already in progress). A failure is
   * retried in the background as well as thrown.
   */
  async run(name: string, attempt = 0): Promise<void> {
    const timer = this.timers.get(name);
    if (timer) clearTimeout(timer);
    this.timers.delete(name);
    const previous = this.running.get(name);
    const { kind, id } = parseDocumentName(name);
    const next = (previous ?? Promise.resolve()).catch(() => undefined).then(() => this.handlers[kind](id));
    this.running.set(name, next);
    try {
      await next;
    } catch (err) {
      // A deleted resource has nothing left to materialise.
      if (!(err instanceof AppError && err.code === 'not_found'))
        this.schedule(name, Math.min(RETRY_MAX_MS, RETRY_BASE_MS * 2 ** attempt), attempt + 1);
      throw err;
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
    await Promise.all(
      [...this.timers.keys()].map((name) => this.run(name).catch((err: unknown) => this.onError(err, name))),
    );
  }

  private schedule(name: string, delayMs = this.debounceMs, attempt = 0): void {
    if (this.timers.has(name)) return;
    const timer = setTimeout(() => {
      this.run(name, attempt).catch((err: unknown) => {
        if (!(err instanceof AppError && err.code === 'not_found')) this.onError(err, name);
      });
    }, delayMs);
    timer.unref();
    this.timers.set(name, timer);
  }
}
