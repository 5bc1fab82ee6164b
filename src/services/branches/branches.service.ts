// Branches of a design system: a fork of every document (its tokens and every component) at one
// moment, edited live like main, compared three-way against the fork base, merged through a merge
// request (merge-requests.service.ts), and read-only once merged or closed.
import * as Y from 'yjs';
import type { Branch, Db } from '../../models/db.ts';
import { AppError, notFound } from '../../utils/errors.ts';
import { authorId, type Actor } from '../actor.ts';
import type { DesignSystemService } from '../design-systems/design-systems.service.ts';
import type { DocumentService } from '../documents/document.service.ts';
import { componentDoc, tokensDoc, type DocumentName } from '../documents/document-names.ts';
import { eventActor } from '../events/actor.ts';
import type { EventBus } from '../events/bus.ts';
import { authorize } from '../policy.ts';
import { flatBase, kindOf, onBranch, type ForkedDocument } from './branch-docs.ts';
import { diffDocument, flatten, type DocumentDiff } from './three-way.ts';
import { viewBranch, type BranchView } from './views.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const STATUS_CACHE_MS = 2000;
const isUnique = (err: unknown) => (err as { code?: string }).code === 'P2002';

/** The three-way diff of a whole branch, and what it was computed from. */
export interface BranchDiff extends DocumentDiff {
  /** The branch it merges into (null: main). */
  into: string | null;
  documents: number;
}

/** Branches and their documents. */
export class BranchService {
  private readonly db: Db;
  private readonly events: EventBus;
  private readonly documents: DocumentService;
  private readonly designSystems: DesignSystemService;
  private readonly statuses = new Map<string, { status: string; at: number }>();

  constructor(db: Db, events: EventBus, documents: DocumentService, designSystems: DesignSystemService) {
    this.db = db;
    this.events = events;
    this.documents = documents;
    this.designSystems = designSystems;
  }

  /** Forks every document of the design system (or of branch `from`) at its current state. */
  async create(actor: Actor, dsId: string, input: { name: string; from?: string | undefined }): Promise<BranchView> {
    const ds = await this.designSystems.get(actor, dsId);
    authorize(actor, 'branch:write', ds);
    const parent = input.from && input.from !== 'main' ? await this.find(actor, dsId, input.from) : null;
    if (parent && parent.status !== 'open') throw new AppError('branch_read_only', 'Only an open branch can be forked');
    const mainNames = parent
      ? (await this.db.branchDocument.findMany({ where: { branchId: parent.id }, select: { mainName: true } })).map(
          (d) => d.mainName,
        )
      : [
          tokensDoc(dsId),
          ...(await this.db.component.findMany({ where: { designSystemId: dsId }, select: { id: true } })).map((c) =>
            componentDoc(c.id),
          ),
        ];
    const forks: { mainName: string; base: Uint8Array<ArrayBuffer>; baseVector: Uint8Array<ArrayBuffer> }[] = [];
    for (const mainName of mainNames) {
      const base = await this.documents
        .encodeState(onBranch(mainName, parent?.id ?? null), actor)
        .catch((err: unknown) => {
          // A component deleted while forking is simply not part of the branch.
          if (err instanceof AppError && err.code === 'not_found') return null;
          throw err;
        });
      if (base)
        forks.push({
          mainName,
          base: new Uint8Array(base),
          baseVector: new Uint8Array(Y.encodeStateVectorFromUpdate(base)),
        });
    }
    const row = await this.db
      .$transaction(async (tx) => {
        const branch = await tx.branch.create({
          data: {
            designSystemId: dsId,
            teamId: ds.teamId,
            name: input.name,
            parentId: parent?.id ?? null,
            createdById: authorId(actor),
          },
        });
        await tx.branchDocument.createMany({ data: forks.map((f) => ({ branchId: branch.id, ...f })) });
        return branch;
      })
      .catch((err: unknown) => {
        throw isUnique(err) ? new AppError('branch_name_taken') : err;
      });
    const view = viewBranch(row);
    this.events.publish(
      'branch.created',
      { teamId: ds.teamId, designSystemId: dsId, branch: view, documents: forks.length },
      eventActor(actor),
    );
    return view;
  }

  /** The design system's branches, newest first. */
  async list(actor: Actor, dsId: string, status?: string): Promise<BranchView[]> {
    await this.designSystems.require(actor, dsId, 'designSystem:read');
    const rows = await this.db.branch.findMany({
      where: { designSystemId: dsId, ...(status ? { status } : {}) },
      orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
      take: 500,
    });
    return rows.map(viewBranch);
  }

  /** One branch, by id or name. */
  async get(actor: Actor, dsId: string, ref: string): Promise<BranchView & { documents: string[] }> {
    const row = await this.find(actor, dsId, ref);
    const docs = await this.db.branchDocument.findMany({
      where: { branchId: row.id },
      select: { mainName: true },
      orderBy: { mainName: 'asc' },
    });
    return { ...viewBranch(row), documents: docs.map((d) => onBranch(d.mainName, row.id)) };
  }

  /** Closes an open branch without merging: it stays, read-only. */
  async close(actor: Actor, dsId: string, ref: string): Promise<BranchView> {
    const row = await this.find(actor, dsId, ref);
    authorize(actor, 'branch:write', row);
    const closed = await this.setStatus(row, 'closed', { closedAt: new Date() });
    this.events.publish(
      'branch.closed',
      { teamId: row.teamId, designSystemId: dsId, branch: viewBranch(closed) },
      eventActor(actor),
    );
    return viewBranch(closed);
  }

  /**
   * Deletes a branch of any status: its documents and their logs, its fork bases, its merge
   * requests with their approvals and comment threads. Its author may delete it (an editor), others
   * need `branch:delete`. Connections to its documents are closed on every node (reason `deleted`).
   * A branch that other branches were forked from is refused until they are deleted.
   */
  async delete(actor: Actor, dsId: string, ref: string): Promise<void> {
    const row = await this.find(actor, dsId, ref);
    authorize(
      actor,
      row.createdById !== null && row.createdById === authorId(actor) ? 'branch:write' : 'branch:delete',
      row,
    );
    const children = await this.db.branch.findMany({ where: { parentId: row.id }, select: { name: true } });
    if (children.length)
      throw new AppError('branch_has_branches', undefined, { branches: children.map((c) => c.name) });
    await this.db.$transaction(async (tx) => {
      const requests = await tx.mergeRequest.findMany({ where: { branchId: row.id }, select: { id: true } });
      if (requests.length)
        await tx.comment.deleteMany({
          where: { resourceType: 'mergeRequest', resourceId: { in: requests.map((m) => m.id) } },
        });
      // Update-log rows go with their documents (foreign key, cascade); approvals with their requests.
      await tx.document.deleteMany({ where: { name: { endsWith: `@${row.id}` } } });
      await tx.branch.delete({ where: { id: row.id } });
    });
    this.statuses.set(row.id, { status: 'closed', at: Date.now() });
    await this.documents.forgetOwned({ branchId: row.id });
    this.events.publish(
      'branch.deleted',
      { teamId: row.teamId, designSystemId: dsId, branch: viewBranch(row) },
      eventActor(actor),
    );
  }

  /** The branch by id or name, if the actor may read its design system. */
  async find(actor: Actor, dsId: string, ref: string): Promise<Branch> {
    await this.designSystems.require(actor, dsId, 'designSystem:read');
    const row = UUID.test(ref)
      ? await this.db.branch.findFirst({ where: { id: ref.toLowerCase(), designSystemId: dsId } })
      : await this.db.branch.findUnique({ where: { designSystemId_name: { designSystemId: dsId, name: ref } } });
    if (!row) throw notFound('No such branch');
    return row;
  }

  /** Moves an open branch to `merged` or `closed` (conditionally: one merge or close wins). */
  async setStatus(row: Branch, status: 'merged' | 'closed', data: Partial<Branch> = {}): Promise<Branch> {
    const { count } = await this.db.branch.updateMany({
      where: { id: row.id, status: 'open' },
      data: { status, ...data },
    });
    if (!count) throw new AppError('branch_read_only');
    this.statuses.set(row.id, { status, at: Date.now() });
    return this.db.branch.findUniqueOrThrow({ where: { id: row.id } });
  }

  /** Puts a branch back to open (a merge that could not finish). */
  async reopen(row: Branch): Promise<void> {
    await this.db.branch.update({ where: { id: row.id }, data: { status: 'open', mergedAt: null, mergedById: null } });
    this.statuses.set(row.id, { status: 'open', at: Date.now() });
  }

  /** The write guard of branch documents: a merged or closed branch refuses every change. */
  async assertWritable(name: DocumentName): Promise<void> {
    if (!name.branchId) return;
    let hit = this.statuses.get(name.branchId);
    if (!hit || Date.now() - hit.at > STATUS_CACHE_MS) {
      const row = await this.db.branch.findUnique({ where: { id: name.branchId }, select: { status: true } });
      hit = { status: row?.status ?? 'closed', at: Date.now() };
      this.statuses.set(name.branchId, hit);
    }
    if (hit.status !== 'open')
      throw new AppError('branch_read_only', `The branch was ${hit.status} and is read-only`, {
        branchId: name.branchId,
        status: hit.status,
      });
  }

  /** The forked documents of a branch. */
  async forks(branchId: string): Promise<ForkedDocument[]> {
    const rows = await this.db.branchDocument.findMany({ where: { branchId }, orderBy: { mainName: 'asc' } });
    return rows.map((r) => ({
      mainName: r.mainName,
      kind: kindOf(r.mainName),
      base: new Uint8Array(r.base),
      baseVector: new Uint8Array(r.baseVector),
    }));
  }

  /** The three-way diff: changed on the branch, changed on its target since the fork, conflicts. */
  async diff(actor: Actor, dsId: string, ref: string): Promise<BranchDiff> {
    const row = await this.find(actor, dsId, ref);
    return this.diffOf(actor, row);
  }

  /** The diff of a branch row (merges recompute it). */
  async diffOf(actor: Actor | null, row: Branch): Promise<BranchDiff> {
    const out: BranchDiff = { into: row.parentId, documents: 0, branch: [], main: [], conflicts: [] };
    for (const fork of await this.forks(row.id)) {
      const target = await this.documents
        .read(onBranch(fork.mainName, row.parentId), actor, (d) => flatten(d, fork.kind))
        .catch(gone);
      const branch = await this.documents
        .read(onBranch(fork.mainName, row.id), actor, (d) => flatten(d, fork.kind))
        .catch(gone);
      if (!target || !branch) continue;
      const diff = diffDocument(fork.mainName, flatBase(fork), target, branch);
      out.documents++;
      out.branch.push(...diff.branch);
      out.main.push(...diff.main);
      out.conflicts.push(...diff.conflicts);
    }
    return out;
  }
}

/** A document deleted on main since the fork (its component is gone) has nothing to compare. */
function gone(err: unknown): null {
  if (err instanceof AppError && err.code === 'not_found') return null;
  throw err;
}
