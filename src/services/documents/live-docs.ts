// The live documents of this process: opened on first use (snapshot + log, with a bus
// subscription taken first so nothing committed meanwhile is missed), kept current with the other
// nodes' changes, caught up from the log when an announcement may have been missed, dropped when
// idle or when they may hold a change that failed to become durable. After such a failure the
// document is reloaded in the background and everyone holding it is asked to resync, so whatever a
// client or peer still holds reaches the server again.
import * as Y from 'yjs';
import type { DocumentBus } from '../../models/documents/doc-bus.ts';
import type { PgUpdateLog } from '../../models/documents/pg-update-log.ts';
import { AppError } from '../../utils/errors.ts';
import { parseDocumentName, type DocumentKind, type DocumentName } from './document-names.ts';
import type { ChangeOrigin, DocumentOwner } from './document-change.ts';
import { applyEach, discard, emptyQueue, settled, type LiveDoc } from './live-doc.ts';
import type { LiveRules } from './rules/live-rules.ts';

/** A branch document's owner also carries its fork base: applied first, stored once (docs/branches.md). */
export type OwnerResolver = (
  name: DocumentName,
) => Promise<(DocumentOwner & { base?: Uint8Array; baseVector?: Uint8Array }) | null>;

export interface LiveDocsEvents {
  /**
   * A change made on another node (or caught up from the log) was integrated here: `relay` when this
   * node's clients should get it now, `durable` when it is committed. A relay comes first with
   * `durable: false`; its durable announcement then comes with `relay: false` (nothing new to send).
   */
  remote(live: LiveDoc, update: Uint8Array, origin: ChangeOrigin, delivery: { relay: boolean; durable: boolean }): void;
  /** A relayed update stayed unconfirmed: its node may have died before its commit. Store it. */
  orphaned(live: LiveDoc, update: Uint8Array): Promise<void>;
  /** Another node relayed an awareness message for a document held here. */
  awareness(name: string, update: Uint8Array): void;
  /** The document was reloaded after a failure: every holder should send what the server lacks. */
  resync(name: string): void;
}

const RELOAD_DELAYS_MS = [250, 500, 1000, 2000, 4000, 8000];
/** How long a relayed update may wait for its durable announcement before this node stores it. */
const ADOPT_AFTER_MS = 5000;

/** The cache of live documents. */
export class LiveDocs {
  private readonly log: PgUpdateLog;
  private readonly bus: DocumentBus;
  private readonly resolveOwner: OwnerResolver;
  private readonly rules: Record<DocumentKind, LiveRules>;
  private readonly events: LiveDocsEvents;
  private readonly live = new Map<string, Promise<LiveDoc>>();
  /** The documents of `live` that have finished loading: the per-update path needs no await. */
  private readonly loaded = new Map<string, LiveDoc>();
  private readonly reloading = new Set<string>();
  /** Copies holding relayed updates not confirmed durable yet. */
  private readonly unconfirmed = new Set<LiveDoc>();
  private adoptTimer: NodeJS.Timeout | null = null;

  constructor(
    log: PgUpdateLog,
    bus: DocumentBus,
    resolveOwner: OwnerResolver,
    rules: Record<DocumentKind, LiveRules>,
    events: LiveDocsEvents,
  ) {
    this.log = log;
    this.bus = bus;
    this.resolveOwner = resolveOwner;
    this.rules = rules;
    this.events = events;
  }

  /** How many documents are in memory. */
  get size(): number {
    return this.live.size;
  }

  /** The names of the documents in memory. */
  names(): string[] {
    return [...this.live.keys()];
  }

  /** The documents in memory (loaded, or loading and then loaded) that `which` picks. */
  async where(which: (live: LiveDoc) => boolean): Promise<LiveDoc[]> {
    const found: LiveDoc[] = [];
    for (const name of this.names()) {
      const live = await this.peek(name);
      if (live && which(live)) found.push(live);
    }
    return found;
  }

  /** A document that has finished loading, if it is in memory. */
  ready(name: string): LiveDoc | undefined {
    return this.loaded.get(name);
  }

  /** The document, loading it if needed (`not_found` for a name or resource that does not exist). */
  load(name: string): Promise<LiveDoc> {
    let pending = this.live.get(name);
    if (!pending) {
      const opening = this.open(name);
      pending = opening;
      this.live.set(name, opening);
      opening.then(
        (live) => {
          if (this.live.get(name) === opening) this.loaded.set(name, live);
        },
        () => {
          if (this.live.get(name) === opening) this.live.delete(name);
        },
      );
    }
    return pending;
  }

  /** The document if it is loaded or loading, without loading it. */
  async peek(name: string): Promise<LiveDoc | null> {
    return (await this.live.get(name)?.catch(() => null)) ?? null;
  }

  /**
   * Drops a copy that may hold a change that did not become durable, reloads it in the background
   * and then asks every holder to resync.
   */
  fail(live: LiveDoc): void {
    if (live.closed) return;
    if (this.loaded.get(live.name) === live) {
      this.live.delete(live.name);
      this.loaded.delete(live.name);
    }
    discard(live);
    void live.unsubscribe().catch(() => undefined);
    this.reload(live.name);
  }

  /** Drops a document (idle, or its resource deleted); resolves when it is gone. */
  async drop(name: string, only?: LiveDoc): Promise<void> {
    const pending = this.live.get(name);
    const live = await pending?.catch(() => null);
    if (only && live !== only) return;
    if (this.live.get(name) === pending) {
      this.live.delete(name);
      this.loaded.delete(name);
    }
    if (live && !live.closed) {
      discard(live);
      await live.unsubscribe().catch(() => undefined);
    }
  }

  /**
   * Re-reads the log of an open document and applies what this node missed (a cross-node
   * announcement is best-effort; the log is the truth). Returns whether anything was missing.
   */
  async resync(name: string): Promise<boolean> {
    const live = await this.peek(name);
    if (!live || live.closed) return false;
    // Only what the copy lacks: the snapshot if another node compacted, and the rows not held.
    const stored = await this.log.since(name, live.version, live.held);
    if (live.closed) return false;
    const origin: ChangeOrigin = { actor: null, source: 'remote' };
    // What actually changed the copy (Yjs emits nothing for what it already had).
    const changes: Uint8Array[] = [];
    const capture = (update: Uint8Array, o: unknown) => o === origin && changes.push(update);
    settled(live);
    live.doc.on('update', capture);
    try {
      applyEach(live.doc, [...(stored.snapshot ? [stored.snapshot] : []), ...stored.updates], origin);
    } finally {
      live.doc.off('update', capture);
    }
    for (const id of stored.ids) live.held.add(id);
    live.version = stored.version;
    if (!changes.length) return false;
    this.events.remote(live, changes.length === 1 ? (changes[0] as Uint8Array) : Y.mergeUpdates(changes), origin, {
      relay: true,
      durable: true,
    });
    return true;
  }

  /** Catches every open document up with the log; returns how many changed. */
  async resyncAll(): Promise<number> {
    let changed = 0;
    for (const name of this.names()) if (await this.resync(name).catch(() => false)) changed++;
    return changed;
  }

  private reload(name: string): void {
    if (this.reloading.has(name)) return;
    this.reloading.add(name);
    const attempt = (n: number) => {
      this.load(name).then(
        () => {
          this.reloading.delete(name);
          this.events.resync(name);
        },
        (err: unknown) => {
          if (err instanceof AppError && err.code === 'not_found') return void this.reloading.delete(name);
          const delay = RELOAD_DELAYS_MS[Math.min(n, RELOAD_DELAYS_MS.length - 1)] as number;
          setTimeout(() => attempt(n + 1), delay).unref();
        },
      );
    };
    setTimeout(() => attempt(0), RELOAD_DELAYS_MS[0]).unref();
  }

  private async open(name: string): Promise<LiveDoc> {
    const parsed = parseDocumentName(name);
    const resolved = await this.resolveOwner(parsed);
    if (!resolved) throw new AppError('not_found');
    const { base, baseVector, ...owner } = resolved;
    await this.log.ensure(name, { ...owner, componentId: parsed.kind === 'component' ? parsed.id : null });
    // Subscribe before reading, so nothing another node commits in between is missed; what
    // arrives early is buffered and applied after the stored state (Yjs ignores duplicates).
    let ready: LiveDoc | null = null;
    let early: { payload: Uint8Array; rowId: number }[] = [];
    const unsubscribe = await this.bus.subscribe(name, (kind, payload, rowId) => {
      if (kind === 'awareness') this.events.awareness(name, payload);
      else if (kind === 'dropped') {
        // A relay its node could not store must not be kept: drop what came early, or the copy.
        if (!ready) early = early.filter((e) => e.rowId > 0);
        else this.fail(ready);
      } else if (!ready) early.push({ payload, rowId });
      else if (ready.closed) return;
      else if (kind === 'relay') this.applyRelay(ready, payload);
      else this.applyRemote(ready, payload, rowId);
    });
    try {
      const stored = await this.log.load(name);
      const doc = new Y.Doc({ gc: true });
      const rules = this.rules[parsed.kind];
      rules.layout(doc);
      applyEach(doc, [
        ...(base ? [base] : []),
        ...(stored.snapshot ? [stored.snapshot] : []),
        ...stored.updates,
        ...early.map((e) => e.payload),
      ]);
      const held = new Set([...stored.ids, ...early.map((e) => e.rowId).filter((id) => id > 0)]);
      ready = {
        name,
        parsed,
        owner,
        doc,
        rules,
        sinceCompact: 0,
        held,
        version: stored.version,
        lastTouched: Date.now(),
        peers: 0,
        unsubscribe,
        closed: false,
        queue: emptyQueue(),
        ...(baseVector ? { baseVector } : {}),
      };
      // Relays that came while loading and were not confirmed meanwhile wait for confirmation too.
      const durable = early.filter((e) => e.rowId > 0);
      for (const relay of early) {
        if (relay.rowId > 0 || durable.some((d) => Buffer.compare(d.payload, relay.payload) === 0)) continue;
        (ready.relayed ??= []).push({ update: relay.payload, at: Date.now() });
      }
      if (ready.relayed) this.awaitConfirmation(ready);
      return ready;
    } catch (err) {
      await unsubscribe();
      throw err;
    }
  }

  /** Another node's update that passed its checks: to this node's clients now, durable later. */
  private applyRelay(live: LiveDoc, update: Uint8Array): void {
    const origin: ChangeOrigin = { actor: null, source: 'remote', receivedAt: performance.now() };
    if (this.integrate(live, update, origin) !== 'changed') return;
    (live.relayed ??= []).push({ update, at: Date.now() });
    this.awaitConfirmation(live);
    this.events.remote(live, update, origin, { relay: true, durable: false });
  }

  private awaitConfirmation(live: LiveDoc): void {
    this.unconfirmed.add(live);
    this.adoptTimer ??= setTimeout(() => this.adoptUnconfirmed(), ADOPT_AFTER_MS).unref();
  }

  private applyRemote(live: LiveDoc, update: Uint8Array, rowId: number): void {
    // Already caught up from the log (a catch-up can read a row before its announcement arrives).
    if (rowId > 0 && live.held.has(rowId)) return;
    const origin: ChangeOrigin = { actor: null, source: 'remote', receivedAt: performance.now() };
    const confirmed = this.confirm(live, update);
    const outcome = this.integrate(live, update, origin);
    if (outcome === 'failed') return;
    if (rowId > 0) live.held.add(rowId);
    const changed = outcome === 'changed';
    if (!changed && !confirmed) return;
    live.lastTouched = Date.now();
    // Counted towards compaction too: the node holding the compaction lease sees every change.
    live.sinceCompact++;
    // Relayed already (its relay came first): only what waits for durable changes runs now.
    this.events.remote(live, update, origin, { relay: changed, durable: true });
  }

  /**
   * Integrates another node's update (checked by that node; one that still fails is skipped, as on
   * load) after what this node queued, which the other node may have built on. Says whether it
   * changed the copy (Yjs emits nothing for what the copy already had).
   */
  private integrate(live: LiveDoc, update: Uint8Array, origin: ChangeOrigin): 'changed' | 'unchanged' | 'failed' {
    const doc = settled(live);
    let changed = false;
    const mark = (_update: Uint8Array, o: unknown) => {
      if (o === origin) changed = true;
    };
    doc.on('update', mark);
    try {
      if (applyEach(doc, [update], origin)) return 'failed';
    } finally {
      doc.off('update', mark);
    }
    return changed ? 'changed' : 'unchanged';
  }

  /** Forgets the relay a durable announcement confirms; returns whether there was one. */
  private confirm(live: LiveDoc, update: Uint8Array): boolean {
    const list = live.relayed;
    if (!list?.length) return false;
    const index = list.findIndex(
      (r) => r.update.byteLength === update.byteLength && Buffer.compare(r.update, update) === 0,
    );
    if (index < 0) return false;
    list.splice(index, 1);
    if (!list.length) this.unconfirmed.delete(live);
    return true;
  }

  /** Stores the relayed updates that waited too long for their durable announcement. */
  private adoptUnconfirmed(): void {
    this.adoptTimer = null;
    const due = Date.now() - ADOPT_AFTER_MS;
    for (const live of [...this.unconfirmed]) {
      if (live.closed) {
        this.unconfirmed.delete(live);
        continue;
      }
      const list = live.relayed ?? [];
      while (list.length && (list[0] as { at: number }).at <= due) {
        const { update } = list.shift() as { update: Uint8Array };
        // Failing to store it fails the copy like any other failed write: everyone resyncs.
        void this.events.orphaned(live, update).catch(() => this.fail(live));
      }
      if (!list.length) this.unconfirmed.delete(live);
    }
    if (this.unconfirmed.size) this.adoptTimer = setTimeout(() => this.adoptUnconfirmed(), 1000).unref();
  }
}
