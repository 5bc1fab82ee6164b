// DocumentService owns the live Yjs documents: load (snapshot + pending updates), apply (validated,
// size-capped, decode errors caught), persist to the update log before anything is acknowledged,
// notify listeners (materialisers, fan-out), share changes with the other nodes, compact, and
// unload idle documents. A client's update is checked (update-check.ts), made durable, relayed,
// and integrated into the live copy a little later with the others that arrived meanwhile
// (live-doc.ts).
import * as Y from 'yjs';
import type { DocumentBus } from '../../models/documents/doc-bus.ts';
import type { PgUpdateLog } from '../../models/documents/pg-update-log.ts';
import { AppError } from '../../utils/errors.ts';
import { authorId, type Actor } from '../actor.ts';
import { authorize } from '../policy.ts';
import { parseDocumentName, type DocumentName } from './document-names.ts';
import { applyEach, defer, discard, settled, type LiveDoc } from './live-doc.ts';
import { checkSize, checkUpdate } from './update-check.ts';

/** The design system and team a document belongs to. */
export interface DocumentOwner {
  teamId: string;
  designSystemId: string;
}

/** Where a change came from; listeners use it to skip echoing a change back to its sender. */
export interface ChangeOrigin {
  actor: Actor | null;
  /** `remote`: applied here because another node made it durable. */
  source: 'rest' | 'socket' | 'yjs' | 'system' | 'remote';
  connectionId?: string;
  /** When the change reached the server (fan-out latency is measured from here). */
  receivedAt?: number;
}

export interface DocumentChange {
  name: string;
  parsed: DocumentName;
  owner: DocumentOwner;
  update: Uint8Array;
  origin: ChangeOrigin;
}

export interface DocumentServiceOptions {
  maxUpdateBytes: number;
  compactAfterUpdates: number;
  idleUnloadMs: number;
  /**
   * Something failed after a change was durable: a change listener threw (the other listeners still
   * ran), or a logged update would not integrate (it was skipped, as on load).
   */
  onError?: (err: unknown, name: string, stage: 'listener' | 'integrate') => void;
}

type OwnerResolver = (name: DocumentName) => Promise<DocumentOwner | null>;

/** The live documents of this process. */
export class DocumentService {
  private readonly log: PgUpdateLog;
  private readonly bus: DocumentBus;
  private readonly resolveOwner: OwnerResolver;
  private readonly options: DocumentServiceOptions;
  private readonly live = new Map<string, Promise<LiveDoc>>();
  /** The documents of `live` that have finished loading: the per-update path needs no await. */
  private readonly ready = new Map<string, LiveDoc>();
  private readonly listeners = new Set<(change: DocumentChange) => void>();
  private readonly awarenessListeners = new Set<(name: string, update: Uint8Array) => void>();
  private readonly compacting = new Map<string, Promise<void>>();

  constructor(log: PgUpdateLog, bus: DocumentBus, resolveOwner: OwnerResolver, options: DocumentServiceOptions) {
    this.log = log;
    this.bus = bus;
    this.resolveOwner = resolveOwner;
    this.options = options;
    // Messages missed while the bus was down are caught up from the log.
    bus.onReconnect(() => void this.resyncAll());
  }

  /**
   * Re-reads the log of every open document and applies what this node missed (a cross-node
   * announcement is best-effort; the log is the truth). Returns how many documents changed.
   */
  async resyncAll(): Promise<number> {
    let changed = 0;
    for (const name of [...this.live.keys()]) if (await this.resync(name).catch(() => false)) changed++;
    return changed;
  }

  /** Catches one open document up with the log (before answering a new subscriber, when clustered). */
  async resync(name: string): Promise<boolean> {
    const live = await this.live.get(name)?.catch(() => null);
    if (!live) return false;
    const stored = await this.log.load(name);
    const before = Y.encodeStateVector(settled(live));
    const origin: ChangeOrigin = { actor: null, source: 'remote' };
    applyEach(live.doc, [...(stored.snapshot ? [stored.snapshot] : []), ...stored.updates], origin);
    for (const id of stored.ids) live.held.add(id);
    live.version = stored.version;
    const missed = Y.encodeStateAsUpdate(live.doc, before);
    // An update with no structs and no deletions is two zero bytes: nothing was missed.
    if (missed.length <= 2) return false;
    this.notify(live, missed, origin);
    return true;
  }

  /** Receives awareness messages other nodes relayed for documents held open here. */
  onRemoteAwareness(listener: (name: string, update: Uint8Array) => void): () => void {
    this.awarenessListeners.add(listener);
    return () => this.awarenessListeners.delete(listener);
  }

  /** Relays an awareness message to the other nodes holding the document. */
  publishAwareness(name: string, update: Uint8Array): void {
    this.bus.publish('awareness', name, update);
  }

  /** Subscribes to every durable change; returns the unsubscribe function. */
  onChange(listener: (change: DocumentChange) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** The owner of a document, or `not_found`. */
  async owner(name: string): Promise<DocumentOwner> {
    return (await this.load(name)).owner;
  }

  /** Checks that the actor may read (or write) the document; throws like the policy does. */
  async authorize(actor: Actor | null, name: string, access: 'read' | 'write'): Promise<DocumentOwner> {
    const { owner } = await this.load(name);
    if (actor) authorize(actor, access === 'read' ? 'designSystem:read' : 'designSystem:write', owner);
    return owner;
  }

  /** Reads the current document (for presenters and exports); the caller must not mutate it. */
  async read<T>(name: string, actor: Actor | null, fn: (doc: Y.Doc) => T): Promise<T> {
    await this.authorize(actor, name, 'read');
    const live = await this.load(name);
    live.lastTouched = Date.now();
    return fn(settled(live));
  }

  /** The whole document as one update, for a client's initial sync. */
  async encodeState(name: string, actor: Actor | null, stateVector?: Uint8Array): Promise<Uint8Array> {
    return this.read(name, actor, (doc) => Y.encodeStateAsUpdate(doc, stateVector));
  }

  /**
   * Runs `fn` as one Yjs transaction, persists the resulting update, then notifies listeners.
   * Resolves once the change is durable. `actor` null means the system (workers, migrations).
   */
  async transact<T>(name: string, actor: Actor | null, fn: (doc: Y.Doc) => T, source: ChangeOrigin['source'] = 'rest'): Promise<{ result: T; update: Uint8Array | null }> {
    await this.authorize(actor, name, 'write');
    const live = await this.load(name);
    settled(live);
    const origin: ChangeOrigin = { actor, source };
    let update: Uint8Array | null = null;
    const capture = (u: Uint8Array, o: unknown) => {
      if (o === origin) update = update ? Y.mergeUpdates([update, u]) : u;
    };
    live.doc.on('update', capture);
    let result: T;
    try {
      result = live.doc.transact(() => fn(live.doc), origin);
    } finally {
      live.doc.off('update', capture);
    }
    if (update) await this.persist(live, update, origin);
    return { result, update };
  }

  /**
   * Applies an update from a client. It is acknowledged (this resolves) only once durable, and only
   * then relayed and queued for integration. A malformed update is refused before it is logged.
   */
  async applyUpdate(name: string, update: Uint8Array, origin: ChangeOrigin): Promise<void> {
    origin.receivedAt ??= performance.now();
    checkSize(update, this.options.maxUpdateBytes);
    const live = this.ready.get(name) ?? (await this.load(name));
    if (origin.actor) authorize(origin.actor, 'designSystem:write', live.owner);
    checkUpdate(update);
    await this.persist(live, update, origin, 'defer');
  }

  /** Marks a connection as holding the document open (or releasing it). */
  async retain(name: string, delta: 1 | -1): Promise<void> {
    const live = await this.load(name);
    live.peers = Math.max(0, live.peers + delta);
    live.lastTouched = Date.now();
  }

  /**
   * Folds the update log into the snapshot. A document held here is snapshotted from its live copy
   * (no replay of the log); otherwise the log is replayed in a scratch document.
   */
  async compact(name: string): Promise<void> {
    const running = this.compacting.get(name);
    if (running) return running;
    const job = (async () => {
      const live = await this.live.get(name)?.catch(() => null);
      if (!live) {
        await this.log.compact(name);
        return;
      }
      live.sinceCompact = 0;
      const snapshot = () => Y.encodeStateAsUpdate(settled(live));
      let result = await this.log.compactFrom(name, live.held, live.version, snapshot);
      if (result === 'stale') {
        // Another node compacted since this copy was loaded, and its snapshot may hold updates
        // whose announcements never arrived here: catch up from the database first.
        await this.resync(name);
        result = await this.log.compactFrom(name, live.held, live.version, snapshot);
      }
      if (result === 'stale') return;
      for (const id of [...result.folded, ...result.gone]) live.held.delete(id);
      live.version = result.version;
    })().finally(() => this.compacting.delete(name));
    this.compacting.set(name, job);
    return job;
  }

  /** Compacts and drops documents nobody has touched for `idleUnloadMs`. Returns how many. */
  async unloadIdle(now = Date.now()): Promise<number> {
    let count = 0;
    for (const [name, pending] of this.live) {
      const live = await pending.catch(() => null);
      if (!live || live.peers > 0 || now - live.lastTouched < this.options.idleUnloadMs) continue;
      await this.compact(name);
      if (this.live.get(name) !== pending) continue;
      this.live.delete(name);
      this.ready.delete(name);
      await live.unsubscribe();
      discard(live);
      count++;
    }
    return count;
  }

  /** Drops a document whose resource was deleted. */
  async forget(name: string): Promise<void> {
    const pending = this.live.get(name);
    this.live.delete(name);
    this.ready.delete(name);
    const live = await pending?.catch(() => null);
    await live?.unsubscribe();
    if (live) discard(live);
    await this.log.remove(name);
  }

  /** How many documents are in memory (a metric). */
  get size(): number {
    return this.live.size;
  }

  /** Compacts everything this node changed (shutdown). */
  async flush(): Promise<void> {
    const names: string[] = [];
    for (const [name, pending] of this.live) if (((await pending.catch(() => null))?.sinceCompact ?? 0) > 0) names.push(name);
    await Promise.all(names.map((name) => this.compact(name).catch(() => undefined)));
  }

  /** Logs an update already in the live copy (`applied`) or to integrate once durable (`defer`). */
  private async persist(live: LiveDoc, update: Uint8Array, origin: ChangeOrigin, state: 'applied' | 'defer' = 'applied'): Promise<void> {
    try {
      const rowId = await this.log.append(live.name, update, origin.actor ? authorId(origin.actor) : null);
      live.held.add(rowId);
      this.bus.publish('doc', live.name, update, rowId);
    } catch (err) {
      // The live copy holds a change that is not durable: drop it so the next reader reloads.
      this.evict(live.name);
      throw err;
    }
    if (state === 'defer') defer(live, update);
    live.sinceCompact++;
    live.lastTouched = Date.now();
    this.notify(live, update, origin);
    if (live.sinceCompact >= this.options.compactAfterUpdates) void this.compact(live.name).catch(() => undefined);
  }

  private notify(live: LiveDoc, update: Uint8Array, origin: ChangeOrigin): void {
    const change: DocumentChange = { name: live.name, parsed: live.parsed, owner: live.owner, update, origin };
    for (const listener of this.listeners) {
      try {
        listener(change);
      } catch (err) {
        this.options.onError?.(err, live.name, 'listener');
      }
    }
  }

  private evict(name: string): void {
    const pending = this.live.get(name);
    this.live.delete(name);
    this.ready.delete(name);
    void pending?.then(
      async (l) => {
        await l.unsubscribe();
        discard(l);
      },
      () => undefined,
    );
  }

  private load(name: string): Promise<LiveDoc> {
    let pending = this.live.get(name);
    if (!pending) {
      const opening = this.open(name);
      pending = opening;
      this.live.set(name, opening);
      opening.then(
        (live) => {
          if (this.live.get(name) === opening) this.ready.set(name, live);
        },
        () => {
          if (this.live.get(name) === opening) this.live.delete(name);
        },
      );
    }
    return pending;
  }

  private async open(name: string): Promise<LiveDoc> {
    const parsed = parseDocumentName(name);
    const owner = await this.resolveOwner(parsed);
    if (!owner) throw new AppError('not_found');
    await this.log.ensure(name, owner.teamId);
    // Subscribe before reading, so nothing another node commits in between is missed; what
    // arrives early is buffered and applied after the stored state (Yjs ignores duplicates).
    let ready: LiveDoc | null = null;
    const early: { payload: Uint8Array; rowId: number }[] = [];
    const unsubscribe = await this.bus.subscribe(name, (kind, payload, rowId) => {
      if (kind === 'awareness') {
        for (const listener of this.awarenessListeners) listener(name, payload);
      } else if (!ready) {
        early.push({ payload, rowId });
      } else {
        this.applyRemote(ready, payload, rowId);
      }
    });
    try {
      const stored = await this.log.load(name);
      const doc = new Y.Doc({ gc: true });
      applyEach(doc, [...(stored.snapshot ? [stored.snapshot] : []), ...stored.updates, ...early.map((e) => e.payload)]);
      const held = new Set([...stored.ids, ...early.map((e) => e.rowId).filter((id) => id > 0)]);
      const onIntegrateError = (err: unknown) => this.options.onError?.(err, name, 'integrate');
      ready = { name, parsed, owner, doc, unapplied: [], settleTimer: null, onIntegrateError, sinceCompact: 0, held, version: stored.version, lastTouched: Date.now(), peers: 0, unsubscribe };
      return ready;
    } catch (err) {
      await unsubscribe();
      throw err;
    }
  }

  private applyRemote(live: LiveDoc, update: Uint8Array, rowId: number): void {
    const origin: ChangeOrigin = { actor: null, source: 'remote', receivedAt: performance.now() };
    // Checked by the node that logged it.
    defer(live, update);
    if (rowId > 0) live.held.add(rowId);
    live.lastTouched = Date.now();
    this.notify(live, update, origin);
  }
}
