// Components: rows for listing and search, a live document for content. Every content write is a
// Yjs transaction through DocumentService, then materialised into the row.
import type { Component, Db, Prisma } from '../../models/db.ts';
import { afterCursor, page } from '../../utils/cursor.ts';
import { notFound } from '../../utils/errors.ts';
import { authorId, type Actor } from '../actor.ts';
import { readComponent, writeComponent, type ComponentContent } from '../documents/component-doc.ts';
import type { DocumentService } from '../documents/document.service.ts';
import { componentDoc } from '../documents/document-names.ts';
import { snapshotOf } from '../documents/snapshots.ts';
import { findComponentRow, lockComponentRow, type MergeBase, writeComponentRow, type Tx } from './component-rows.ts';
import { ComponentUpdates, nameTaken } from './component-updates.ts';
import type { Materialiser } from '../documents/materialiser.ts';
import type { DesignSystemService } from '../design-systems/design-systems.service.ts';
import { eventActor } from '../events/actor.ts';
import type { EventBus } from '../events/bus.ts';
import { versionContent, type ComponentVersionService } from './versions.service.ts';

export type ComponentInput = Partial<ComponentContent> & { name?: string; category?: string };

export interface ListQuery {
  q?: string | undefined;
  category?: string | undefined;
  status?: string | undefined;
  limit: number;
  cursor?: string | undefined;
}

/** A hook run before a write, so locks (held by someone else) can refuse it. */
export type WriteGuard = (actor: Actor, componentId: string) => Promise<void>;

/** The content a row holds, in document form. */
export const rowContent = (row: Component): ComponentContent => ({
  name: row.name,
  category: row.category,
  status: row.status,
  code: row.code,
  docs: row.documentation ?? '',
  props: (row.props ?? {}) as Record<string, unknown>,
});

/** The row columns that hold a component's content (the inverse of `rowContent`). */
const contentColumns = (content: ComponentContent) => ({
  name: content.name,
  category: content.category,
  status: content.status,
  code: content.code,
  documentation: content.docs,
  props: content.props as Prisma.InputJsonValue,
});

const isUnique = (err: unknown) => {
  const e = err as { code?: string; meta?: { code?: string }; cause?: { code?: string } };
  return (
    e.code === 'P2002' ||
    e.code === '23505' ||
    e.meta?.code === '23505' ||
    e.cause?.code === '23505' ||
    /23505|unique constraint/i.test(String((err as Error)?.message))
  );
};

/** Interactive transactions that hold a component row wait for a document commit inside. */
const TRANSACTION = { maxWait: 10_000, timeout: 30_000 };
/** How often, and how long apart, a row write waits for a change another node already wrote. */
const STALE_RETRIES = 4;
const STALE_WAIT_MS = 25;

/** Component CRUD on live documents. */
export class ComponentService {
  private readonly db: Db;
  private readonly events: EventBus;
  private readonly documents: DocumentService;
  private readonly materialiser: Materialiser;
  private readonly designSystems: DesignSystemService;
  private readonly versions: ComponentVersionService;
  private readonly guards: WriteGuard[] = [];
  private readonly updates: ComponentUpdates;

  constructor(
    db: Db,
    events: EventBus,
    documents: DocumentService,
    materialiser: Materialiser,
    designSystems: DesignSystemService,
    versions: ComponentVersionService,
  ) {
    this.db = db;
    this.events = events;
    this.documents = documents;
    this.materialiser = materialiser;
    this.designSystems = designSystems;
    this.versions = versions;
    this.updates = new ComponentUpdates({
      db,
      documents,
      events,
      transaction: (fn) => db.$transaction(fn, TRANSACTION),
      writeRow: (tx, id, locked, versionFor) => this.writeRow(tx, id, locked, versionFor),
      writeRowIfUnchanged: (id, base, versionFor) => this.writeRowIfUnchanged(id, base, versionFor),
      materialise: (id) => this.materialise(id),
    });
  }

  /** Registers a check every write must pass (component locks). */
  addWriteGuard(guard: WriteGuard): void {
    this.guards.push(guard);
  }

  /** Creates a component with its document and version 1. */
  async create(
    actor: Actor,
    dsId: string,
    input: ComponentInput & { name: string; category: string },
  ): Promise<Component> {
    const ds = await this.designSystems.require(actor, dsId, 'designSystem:write');
    const content: ComponentContent = {
      name: input.name,
      category: input.category,
      status: input.status ?? 'draft',
      code: input.code ?? '',
      docs: input.docs ?? '',
      props: input.props ?? {},
    };
    const row = await this.db.component
      .create({
        data: {
          designSystemId: ds.id,
          ...contentColumns(content),
          version: 1,
          createdById: authorId(actor),
        },
      })
      .catch((err: unknown) => {
        throw isUnique(err) ? nameTaken() : err;
      });
    await this.documents.transact(componentDoc(row.id), actor, (doc) => writeComponent(doc, content));
    await this.versions.snapshot(actor, row, content, 'Created');
    this.events.publish(
      'component.created',
      { teamId: ds.teamId, designSystemId: ds.id, componentId: row.id, name: row.name },
      eventActor(actor),
    );
    return row;
  }

  /** Searches a design system's components by name and filters by category and status. */
  async list(actor: Actor, dsId: string, query: ListQuery) {
    // The access check and the read go out together (one round trip of latency, not two); the rows
    // are used only once the check passed.
    const [, rows] = await Promise.all([
      this.designSystems.require(actor, dsId, 'designSystem:read'),
      this.db.component.findMany({
        where: {
          designSystemId: dsId,
          ...(query.q ? { name: { contains: query.q, mode: 'insensitive' } } : {}),
          ...(query.category ? { category: query.category } : {}),
          ...(query.status ? { status: query.status } : {}),
          ...afterCursor(query.cursor, 'desc'),
        },
        orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
        take: query.limit + 1,
        // The document's snapshot is the row's largest column and no listing shows it.
        omit: { docSnapshot: true },
      }),
    ]);
    return page(rows, query.limit);
  }

  /** One component, with any pending live edits materialised first. */
  async get(actor: Actor, dsId: string, id: string): Promise<Component> {
    // As in list: the check and the (flushed) read in parallel; the row is used only once it passed.
    const [, row] = await Promise.all([
      this.designSystems.require(actor, dsId, 'designSystem:read'),
      this.materialiser.flush(componentDoc(id)).then(() => findComponentRow(this.db, id, dsId)),
    ]);
    if (!row) throw notFound();
    return row;
  }

  /**
   * Updates fields as one Yjs transaction. Texts merge against the row the writer read, so live
   * edits elsewhere survive; `expectedVersion` (If-Match) turns a stale write into a 409. The row is
   * locked from the version check to the write, on every node, so a check and its write are one step;
   * concurrent updates of one component take the lock together (component-updates.ts).
   */
  async update(
    actor: Actor,
    dsId: string,
    id: string,
    input: ComponentInput,
    expectedVersion?: number,
  ): Promise<Component> {
    const ds = await this.designSystems.require(actor, dsId, 'designSystem:write');
    for (const guard of this.guards) await guard(actor, id);
    const { before, updated } = await this.updates.update({
      actor,
      dsId,
      id,
      input,
      ...(expectedVersion === undefined ? {} : { expectedVersion }),
    });
    if (updated.version !== before) {
      this.events.publish(
        'component.updated',
        {
          teamId: ds.teamId,
          designSystemId: dsId,
          componentId: id,
          fields: Object.keys(input),
          version: updated.version,
        },
        eventActor(actor),
      );
    }
    return updated;
  }

  /**
   * Applies a live Yjs update sent as seed 001's component-update: the document service checks,
   * refuses or stores it; the room hears of it once, through the event bus.
   */
  async applyLiveUpdate(actor: Actor, componentId: string, update: Uint8Array, connectionId?: string): Promise<void> {
    const name = componentDoc(componentId);
    const owner = await this.documents.owner(name);
    await this.documents.applyUpdate(name, update, {
      actor,
      source: 'socket',
      ...(connectionId ? { connectionId } : {}),
    });
    this.events.publish(
      'component.liveEdited',
      { ...owner, componentId, update, ...(connectionId ? { connectionId } : {}) },
      eventActor(actor),
    );
  }

  /** Deletes a component and its document. */
  async remove(actor: Actor, dsId: string, id: string): Promise<void> {
    const ds = await this.designSystems.require(actor, dsId, 'designSystem:write');
    for (const guard of this.guards) await guard(actor, id);
    const deleted = await this.db.component.deleteMany({ where: { id, designSystemId: dsId } });
    if (!deleted.count) throw notFound();
    await this.documents.forgetOwned({ componentId: id });
    this.events.publish(
      'component.deleted',
      { teamId: ds.teamId, designSystemId: dsId, componentId: id },
      eventActor(actor),
    );
  }

  /** Saves the current content as a named version. */
  async saveVersion(actor: Actor, dsId: string, id: string, message: string | null) {
    const ds = await this.designSystems.require(actor, dsId, 'designSystem:write');
    const row = await this.get(actor, dsId, id);
    const version = await this.versions.snapshot(actor, row, rowContent(row), message);
    this.events.publish(
      'component.versionSaved',
      { teamId: ds.teamId, designSystemId: dsId, componentId: id, version: version.version, message },
      eventActor(actor),
    );
    return version;
  }

  /** The saved versions, newest first. */
  async history(actor: Actor, dsId: string, id: string) {
    await this.get(actor, dsId, id);
    return this.versions.list(id);
  }

  /** Field-level diff between two saved versions. */
  async diff(actor: Actor, dsId: string, id: string, a: number, b: number) {
    await this.get(actor, dsId, id);
    return this.versions.diff(id, a, b);
  }

  /** Restores a saved version as a new live transaction, recorded as a new version. */
  async revert(actor: Actor, dsId: string, id: string, version: number): Promise<Component> {
    const ds = await this.designSystems.require(actor, dsId, 'designSystem:write');
    for (const guard of this.guards) await guard(actor, id);
    await this.get(actor, dsId, id);
    const { status: _status, ...target } = versionContent(await this.versions.get(id, version));
    await this.documents.transact(componentDoc(id), actor, (doc) => writeComponent(doc, target));
    const updated = await this.materialise(id);
    await this.versions.snapshot(actor, updated, rowContent(updated), `Reverted to version ${version}`);
    this.events.publish(
      'component.reverted',
      { teamId: ds.teamId, designSystemId: dsId, componentId: id, toVersion: version, version: updated.version },
      eventActor(actor),
    );
    return updated;
  }

  /** Copies the document's content into the row, bumping `version` when anything changed. */
  async materialise(id: string): Promise<Component> {
    try {
      return await this.db.$transaction(
        async (tx) => this.writeRow(tx, id, await lockComponentRow(tx, id)),
        TRANSACTION,
      );
    } catch (err) {
      if (!isUnique(err)) throw err;
      // Two live renames to one name raced past the live rule: the document takes back the name
      // the row has, so document and row agree again.
      const row = await this.db.component.findUnique({ where: { id } });
      if (!row) throw notFound();
      await this.documents.transact(
        componentDoc(id),
        null,
        (doc) => doc.getMap('meta').set('name', row.name),
        'system',
      );
      return this.db.$transaction(async (tx) => this.writeRow(tx, id, await lockComponentRow(tx, id)), TRANSACTION);
    }
  }

  /**
   * Writes the row from the document, inside the transaction that locked it. A document copy that
   * lacks a change the row already has (not yet arrived from another node) waits for it briefly.
   */
  private async writeRow(
    tx: Tx,
    id: string,
    locked: { snapshot: Uint8Array | null },
    versionFor?: (content: ComponentContent) => number,
  ): Promise<Component> {
    for (let attempt = 0; attempt < STALE_RETRIES; attempt++) {
      const { content, snapshot } = await this.documentState(id);
      const written = await writeComponentRow(tx, id, locked, content, snapshot, { version: versionFor?.(content) });
      if (written !== 'stale' && written !== 'moved') return written;
      await new Promise((resolve) => setTimeout(resolve, STALE_WAIT_MS));
    }
    return tx.component.findUniqueOrThrow({ where: { id } });
  }

  /**
   * Writes the row from the document if it is still as `base` was read (without a lock); null when
   * it moved meanwhile or the document copy lacks what the row has — then the caller materialises.
   */
  private async writeRowIfUnchanged(
    id: string,
    base: MergeBase,
    versionFor: (content: ComponentContent) => number,
  ): Promise<Component | null> {
    const { content, snapshot } = await this.documentState(id);
    const written = await writeComponentRow(this.db, id, base, content, snapshot, {
      version: versionFor(content),
      ifUnchanged: { version: base.version, snapshot: base.snapshot },
    });
    return written === 'stale' || written === 'moved' ? null : written;
  }

  /** The document's content and snapshot, read together, with what other nodes stored caught up. */
  private async documentState(id: string): Promise<{ content: ComponentContent; snapshot: Uint8Array }> {
    const name = componentDoc(id);
    await this.documents.catchUp(name);
    return this.documents.read(name, null, (doc) => ({ content: readComponent(doc), snapshot: snapshotOf(doc) }));
  }
}
