// DocumentService owns the live Yjs documents: every write, from any transport, goes through it.
// A client's update is checked (update-check.ts), admitted or refused, integrated, made durable in
// the update log and only then acknowledged; it is relayed (to this node's clients and to the other
// nodes) as soon as it passed the checks. A refused update is never just dropped:
// it is integrated and reverted (trial.ts), and the pair is logged and relayed to everyone, so the
// sender and every peer end where the server is and the sender's later edits still integrate. An
// update that may break a live rule (rules/) is tried and reverted the same way when it does. A
// change that could not be stored drops the live copy (it may hold what the log lacks) and the
// sender is told to send again (`service_unavailable`).
import * as Y from 'yjs';
import type { DeletedScope, DocumentBus } from '../../models/documents/doc-bus.ts';
import type { PgUpdateLog } from '../../models/documents/pg-update-log.ts';
import { AppError } from '../../utils/errors.ts';
import { authorId, type Actor } from '../actor.ts';
import { authorize } from '../policy.ts';
import type { DocumentKind } from './document-names.ts';
import { applyEach, enqueue, ownedBy, queuedPlacements, reachOf, settled, type LiveDoc } from './live-doc.ts';
import { Compactor, type Lease } from './compaction.ts';
import {
  COMPENSATED,
  type ChangeOrigin,
  type DocumentChange,
  type DocumentOwner,
  type WriteGuard,
} from './document-change.ts';
import { Listeners } from './listeners.ts';
import { LiveDocs, type OwnerResolver } from './live-docs.ts';
import type { LiveRules } from './rules/live-rules.ts';
import { compensate, ensureRoots, EVERY_CHANGE, transactCapturing, tryUpdate } from './trial.ts';
import { checkSize, checkUpdate } from './update-check.ts';
import { WriteGate } from './write-gate.ts';

export interface DocumentServiceOptions {
  maxUpdateBytes: number;
  compactAfterUpdates: number;
  idleUnloadMs: number;
  /**
   * Several nodes share the documents: REST writes and materialisation first catch the copy up with
   * the log, so they build on every durable change, not only those whose announcement arrived.
   */
  clustered?: boolean;
  /** The compaction lease on a cluster (compaction.ts); a single node needs none. */
  lease?: Lease;
  /** A change listener threw after a change was durable (the other listeners still ran). */
  onError?: (err: unknown, name: string) => void;
}

const SYSTEM: ChangeOrigin = { actor: null, source: 'system' };

/** The error for a change that could not be stored: the sender keeps it and sends it again. */
function unavailable(err: unknown): AppError {
  if (err instanceof AppError) return err;
  return new AppError(
    'service_unavailable',
    'The document store is unavailable; the change was not saved, send it again',
    undefined,
    { 'Retry-After': '2' },
  );
}

/** The live documents of this process. */
export class DocumentService {
  private readonly log: PgUpdateLog;
  private readonly bus: DocumentBus;
  private readonly options: DocumentServiceOptions;
  private readonly docs: LiveDocs;
  private readonly guards: WriteGuard[] = [];
  /** Durable changes, and changes as soon as they are in the live copy (relays): a throwing listener is reported. */
  private readonly listeners: Listeners<[DocumentChange]>;
  private readonly relayListeners: Listeners<[DocumentChange]>;
  private readonly awarenessListeners = new Listeners<[name: string, update: Uint8Array]>();
  private readonly resyncListeners = new Listeners<[name: string]>();
  private readonly forgottenListeners = new Listeners<[names: string[], scope: DeletedScope]>();
  private readonly compactor: Compactor;
  /** Documents a change is being integrated into over several turns (applyInParts). */
  private readonly gate = new WriteGate();

  constructor(
    log: PgUpdateLog,
    bus: DocumentBus,
    resolveOwner: OwnerResolver,
    rules: Record<DocumentKind, LiveRules>,
    options: DocumentServiceOptions,
  ) {
    this.log = log;
    this.bus = bus;
    this.options = options;
    const reported = (err: unknown, [change]: [DocumentChange]) => options.onError?.(err, change.name);
    this.listeners = new Listeners(reported);
    this.relayListeners = new Listeners(reported);
    this.docs = new LiveDocs(log, bus, resolveOwner, rules, {
      // Another node's change: to this node's clients as soon as it was relayed, to what waits for
      // durable changes once it is committed.
      remote: (live, update, origin, { relay, durable }) => {
        if (relay) this.emit(this.relayListeners, live, update, origin);
        if (durable) this.emit(this.listeners, live, update, origin);
      },
      orphaned: (live, update) => this.adopt(live, update),
      awareness: (name, update) => this.awarenessListeners.emit(name, update),
      resync: (name) => this.resyncListeners.emit(name),
    });
    this.compactor = new Compactor(log, this.docs, options.lease);
    // Messages missed while the bus was down are caught up from the log.
    bus.onReconnect(() => void this.docs.resyncAll());
    bus.onDeleted((scope) => void this.forgetOwned(scope, true));
  }

  /** Registers a check every client update must pass. */
  addWriteGuard(guard: WriteGuard): void {
    this.guards.push(guard);
  }

  /** Catches every open document up with the log. Returns how many changed. */
  resyncAll(): Promise<number> {
    return this.docs.resyncAll();
  }

  /** Catches one open document up with the log (before answering a new subscriber, when clustered). */
  resync(name: string): Promise<boolean> {
    return this.docs.resync(name);
  }

  /** On a cluster, catches the document up with the log first (a no-op on a single node). */
  async catchUp(name: string): Promise<void> {
    if (!this.options.clustered) return;
    await this.docs.load(name);
    await this.docs.resync(name);
  }

  /** Receives awareness messages other nodes relayed for documents held open here. */
  onRemoteAwareness(listener: (name: string, update: Uint8Array) => void): () => void {
    return this.awarenessListeners.add(listener);
  }

  /** Relays an awareness message to the other nodes holding the document. */
  publishAwareness(name: string, update: Uint8Array): void {
    this.bus.publish('awareness', name, update);
  }

  /** Subscribes to every durable change; returns the unsubscribe function. */
  onChange(listener: (change: DocumentChange) => void): () => void {
    return this.listeners.add(listener);
  }

  /**
   * Subscribes to every change as soon as it is in the live copy — a client's update once it passed
   * the checks, before it is durable; another node's when it arrives. This is what clients are
   * sent: they see each other's edits without waiting for the commit, while the sender's
   * acknowledgement still waits for it. Should the commit fail, the copy is reloaded and every
   * holder asked to resync, so what was relayed comes back from whoever holds it.
   */
  onRelay(listener: (change: DocumentChange) => void): () => void {
    return this.relayListeners.add(listener);
  }

  /** Called when a document was reloaded after a failure: its holders must send what it lacks. */
  onResyncNeeded(listener: (name: string) => void): () => void {
    return this.resyncListeners.add(listener);
  }

  /** The owner of a document, or `not_found`. */
  async owner(name: string): Promise<DocumentOwner> {
    return (await this.docs.load(name)).owner;
  }

  /** Checks that the actor may read (or write) the document; throws like the policy does. */
  async authorize(actor: Actor | null, name: string, access: 'read' | 'write'): Promise<DocumentOwner> {
    const { owner } = await this.docs.load(name);
    if (actor) authorize(actor, access === 'read' ? 'designSystem:read' : 'designSystem:write', owner);
    return owner;
  }

  /** Reads the current document (for presenters and exports); the caller must not mutate it. */
  async read<T>(name: string, actor: Actor | null, fn: (doc: Y.Doc) => T): Promise<T> {
    await this.authorize(actor, name, 'read');
    const live = await this.docs.load(name);
    while (this.gate.held(name)) await this.gate.released(name);
    live.lastTouched = Date.now();
    return fn(settled(live));
  }

  /** The whole document as one update, for a client's initial sync. */
  async encodeState(name: string, actor: Actor | null, stateVector?: Uint8Array): Promise<Uint8Array> {
    return this.read(name, actor, (doc) => Y.encodeStateAsUpdate(doc, stateVector));
  }

  /** What a subscriber lacks (relative to its state vector) and the server's state vector, read together. */
  async syncState(
    name: string,
    actor: Actor | null,
    stateVector?: Uint8Array,
  ): Promise<{ update: Uint8Array; stateVector: Uint8Array }> {
    return this.read(name, actor, (doc) => ({
      update: Y.encodeStateAsUpdate(doc, stateVector),
      stateVector: Y.encodeStateVector(doc),
    }));
  }

  /**
   * Runs `fn` as one Yjs transaction, persists the resulting update, then notifies listeners.
   * Resolves once the change is durable. `actor` null means the system (workers, repairs).
   */
  async transact<T>(
    name: string,
    actor: Actor | null,
    fn: (doc: Y.Doc) => T,
    source: ChangeOrigin['source'] = 'rest',
  ): Promise<{ result: T; update: Uint8Array | null }> {
    await this.authorize(actor, name, 'write');
    await this.catchUp(name);
    const live = await this.docs.load(name);
    while (this.gate.held(name)) await this.gate.released(name);
    const origin: ChangeOrigin = { actor, source };
    const { result, update } = transactCapturing(settled(live), origin, fn);
    if (update) await this.persist(live, update, origin);
    return { result, update };
  }

  /**
   * Integrates a change built on a copy of the document (a token import built on a worker thread):
   * `parts` one per event-loop turn, so a large change never holds the loop in one piece, then stores
   * and relays `update`, the same change as one. Reads and writes of the document on this node wait
   * meanwhile. With `basis` (Y.encodeSnapshot of the state the change was built on), nothing is
   * applied and false returned if the document has changed since.
   */
  async applyInParts(
    name: string,
    actor: Actor | null,
    change: { parts: Uint8Array[]; update: Uint8Array },
    basis?: Uint8Array,
    source: ChangeOrigin['source'] = 'rest',
  ): Promise<boolean> {
    await this.authorize(actor, name, 'write');
    await this.catchUp(name);
    const live = await this.docs.load(name);
    while (this.gate.held(name)) await this.gate.released(name);
    const release = this.gate.hold(name);
    try {
      const doc = settled(live);
      if (basis && !Y.equalSnapshots(Y.snapshot(doc), Y.decodeSnapshot(basis))) return false;
      const origin: ChangeOrigin = { actor, source };
      for (const [i, part] of change.parts.entries()) {
        if (i > 0) await new Promise((resolve) => setImmediate(resolve));
        // Dropped meanwhile (a failed write elsewhere): nothing was stored, the reloaded copy lacks it all.
        if (live.closed) throw unavailable(null);
        live.lastTouched = Date.now();
        Y.applyUpdate(doc, part, origin);
      }
      await this.persist(live, change.update, origin);
      return true;
    } finally {
      release();
    }
  }

  /**
   * Checks a whole state of `name` (built outside the live copy: a merge's result before it is
   * applied) against the live rules of its kind, as if every field had just changed; throws the
   * error REST would give.
   */
  async checkRules(name: string, doc: Y.Doc): Promise<void> {
    const live = await this.docs.load(name);
    await live.rules.check(doc, EVERY_CHANGE, { parsed: live.parsed, designSystemId: live.owner.designSystemId });
  }

  /**
   * Applies an update from a client. Resolves once it is durable (the acknowledgement); throws the
   * refusal otherwise, after the compensation (when there is one) is durable and relayed.
   */
  async applyUpdate(name: string, update: Uint8Array, origin: ChangeOrigin): Promise<void> {
    origin.receivedAt ??= performance.now();
    // Twice the limit is what the transports let through: past it nothing can be compensated.
    checkSize(update, this.options.maxUpdateBytes * 2);
    while (this.gate.held(name)) await this.gate.released(name);
    const live = this.docs.ready(name) ?? (await this.docs.load(name));
    const refusal = await this.admit(live, update, origin).then(
      () => null,
      (err: unknown) => err,
    );
    if (refusal && !(refusal instanceof AppError && COMPENSATED.has(refusal.code))) throw refusal;
    if (live.closed) throw unavailable(null);
    const facts = checkUpdate(update, {
      doc: live.doc,
      reach: (client) => reachOf(live, client),
      queued: (client, from, to) => queuedPlacements(live, client, from, to),
    });
    ensureRoots(live.doc, facts.roots);
    if (refusal) {
      const pair = compensate(settled(live), update, facts.roots);
      if (pair) await this.persist(live, pair, SYSTEM);
      throw refusal;
    }
    // What waits in the queue may grow the same texts.
    const watched = live.rules.watch(live.doc, { ...facts, inserted: facts.inserted + live.queue.inserted });
    if (!watched.length && facts.touched) {
      // Nothing it touches has a rule beyond what the check above proved: queue it for integration.
      enqueue(live, update, facts, facts.touched.placements);
      await this.persist(live, update, origin);
      return;
    }
    let trial: ReturnType<typeof tryUpdate>;
    try {
      trial = tryUpdate(settled(live), update, watched);
    } catch {
      // The check lets nothing through that fails to integrate; should it happen, the copy may be half-changed.
      this.docs.fail(live);
      throw new AppError('invalid_update', 'The document update does not integrate');
    }
    try {
      await live.rules.check(live.doc, trial.changes, {
        parsed: live.parsed,
        designSystemId: live.owner.designSystemId,
      });
    } catch (err) {
      if (live.closed) throw unavailable(null);
      const pair = trial.revert();
      if (pair) await this.persist(live, pair, SYSTEM);
      throw err;
    }
    if (live.closed) throw unavailable(null);
    trial.accept();
    await this.persist(live, update, origin);
  }

  /** Marks a connection as holding the document open (or releasing it). */
  async retain(name: string, delta: 1 | -1): Promise<void> {
    const live = await this.docs.load(name);
    live.peers = Math.max(0, live.peers + delta);
    live.lastTouched = Date.now();
  }

  /** Folds the update log into the snapshot (compaction.ts). */
  compact(name: string): Promise<void> {
    return this.compactor.compact(name);
  }

  /** Compacts and drops documents nobody has touched for `idleUnloadMs`. Returns how many. */
  unloadIdle(now = Date.now()): Promise<number> {
    return this.compactor.unloadIdle(now, this.options.idleUnloadMs);
  }

  /**
   * The team, design system, component or branch was deleted (its rows, and with them its documents
   * and their logs, are gone): drops its live copies here and on every other node, and
   * tells the transports so they close what is connected to them.
   */
  async forgetOwned(scope: DeletedScope, fromOtherNode = false): Promise<string[]> {
    if (!fromOtherNode) this.bus.publishDeleted(scope);
    const names = (await this.docs.where((live) => ownedBy(live, scope))).map((live) => live.name);
    for (const name of names) await this.docs.drop(name);
    this.forgottenListeners.emit(names, scope);
    return names;
  }

  /** Called on every node when a team, design system, component or branch was deleted, with its live documents there. */
  onForgotten(listener: (names: string[], scope: DeletedScope) => void): () => void {
    return this.forgottenListeners.add(listener);
  }

  /** How many documents are in memory (a metric). */
  get size(): number {
    return this.docs.size;
  }

  /** Compacts everything this node changed (shutdown). */
  flush(): Promise<void> {
    return this.compactor.compactAll();
  }

  /** The checks that may refuse an update before it is integrated: size, role, guards (locks). */
  private async admit(live: LiveDoc, update: Uint8Array, origin: ChangeOrigin): Promise<void> {
    checkSize(update, this.options.maxUpdateBytes);
    if (!origin.actor) return;
    authorize(origin.actor, 'designSystem:write', live.owner);
    for (const guard of this.guards) await guard(origin.actor, live.parsed, live.owner);
  }

  /**
   * Relays an update already in the live copy (to this node's clients and to the other nodes), then
   * logs it and announces it durable; a failure drops the copy here and on the other nodes.
   */
  private async persist(live: LiveDoc, update: Uint8Array, origin: ChangeOrigin): Promise<void> {
    this.emit(this.relayListeners, live, update, origin);
    if (this.options.clustered) this.bus.publish('relay', live.name, update);
    let rowId: number;
    try {
      rowId = await this.log.append(
        live.name,
        update,
        origin.actor ? authorId(origin.actor) : null,
        origin.source === 'rest',
      );
    } catch (err) {
      this.docs.fail(live);
      if (this.options.clustered) this.bus.publish('dropped', live.name, new Uint8Array(0));
      throw unavailable(err);
    }
    if (live.closed) {
      // The copy was dropped while this was being stored: the reloaded copy may have missed it.
      const current = this.docs.ready(live.name);
      if (current) applyEach(settled(current), [update]);
      live = current ?? live;
    }
    live.held.add(rowId);
    this.bus.publish('doc', live.name, update, rowId);
    live.sinceCompact++;
    live.lastTouched = Date.now();
    this.emit(this.listeners, live, update, origin);
    if (live.sinceCompact >= this.options.compactAfterUpdates) void this.compact(live.name).catch(() => undefined);
  }

  /**
   * Stores an update another node relayed and never confirmed durable (it may have died before its
   * commit): this copy holds it, so it is logged and announced from here. If the other node did
   * commit it after all, the log holds it twice, which Yjs reads as once.
   */
  private async adopt(live: LiveDoc, update: Uint8Array): Promise<void> {
    const rowId = await this.log.append(live.name, update, null);
    if (live.closed) return;
    live.held.add(rowId);
    this.bus.publish('doc', live.name, update, rowId);
    live.sinceCompact++;
    this.emit(this.listeners, live, update, { actor: null, source: 'remote' });
  }

  private emit(listeners: Listeners<[DocumentChange]>, live: LiveDoc, update: Uint8Array, origin: ChangeOrigin): void {
    if (listeners.size) listeners.emit({ name: live.name, parsed: live.parsed, owner: live.owner, update, origin });
  }
}
