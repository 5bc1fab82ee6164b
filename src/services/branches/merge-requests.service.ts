// Merge requests: one open per branch, reviewed with comment threads (resource type `mergeRequest`,
// anchored to diff entries) and approvals by editors and admins, merged when the team's required
// approvals are in and every conflict has a choice. A merge applies, per document, the branch's
// update since the fork onto the target's live copy as one Yjs transaction through DocumentService,
// so it is durable and every live client of the target receives it while their own edits merge.
import * as Y from 'yjs';
import type { Branch, Db } from '../../models/db.ts';
import { AppError, notFound } from '../../utils/errors.ts';
import { authorId, type Actor } from '../actor.ts';
import type { CommentService } from '../comments/comments.service.ts';
import type { CommentView } from '../comments/comment-view.ts';
import type { DocumentService } from '../documents/document.service.ts';
import type { Materialiser } from '../documents/materialiser.ts';
import { eventActor } from '../events/actor.ts';
import type { EventBus } from '../events/bus.ts';
import { authorize, requireUser } from '../policy.ts';
import { flatBase, onBranch, type ForkedDocument } from './branch-docs.ts';
import type { BranchService } from './branches.service.ts';
import { applyMerge, type Choice } from './merge-apply.ts';
import type { BranchSettingsService } from './settings.service.ts';
import { flatten } from './three-way.ts';
import { viewBranch, viewMergeRequest, type BranchView, type MergeRequestView } from './views.ts';

const WITH = { approvals: { orderBy: { createdAt: 'asc' } } } as const;

export interface MergeResult {
  mergeRequest: MergeRequestView;
  branch: BranchView;
  /** Documents changed by the merge. */
  documents: string[];
  /** Conflicts that appeared while merging (main was edited meanwhile): kept as main has them. */
  unresolved: string[];
}

/** Merge requests of branches. */
export class MergeRequestService {
  private readonly db: Db;
  private readonly events: EventBus;
  private readonly documents: DocumentService;
  private readonly materialiser: Materialiser;
  private readonly branches: BranchService;
  private readonly settings: BranchSettingsService;
  private readonly comments: CommentService;

  constructor(deps: {
    db: Db;
    events: EventBus;
    documents: DocumentService;
    materialiser: Materialiser;
    branches: BranchService;
    settings: BranchSettingsService;
    comments: CommentService;
  }) {
    this.db = deps.db;
    this.events = deps.events;
    this.documents = deps.documents;
    this.materialiser = deps.materialiser;
    this.branches = deps.branches;
    this.settings = deps.settings;
    this.comments = deps.comments;
  }

  /** Opens a merge request for an open branch (one open request per branch). */
  async open(
    actor: Actor,
    dsId: string,
    ref: string,
    input: { title: string; description?: string | undefined },
  ): Promise<MergeRequestView> {
    const branch = await this.branches.find(actor, dsId, ref);
    authorize(actor, 'branch:write', branch);
    if (branch.status !== 'open') throw new AppError('branch_read_only');
    if (await this.db.mergeRequest.count({ where: { branchId: branch.id, status: 'open' } })) {
      throw new AppError('conflict', 'The branch already has an open merge request');
    }
    const row = await this.db.mergeRequest.create({
      data: {
        branchId: branch.id,
        title: input.title,
        description: input.description ?? null,
        authorId: authorId(actor),
      },
      include: WITH,
    });
    return this.updated(actor, branch, row, 'opened');
  }

  /** The branch's merge requests, newest first. */
  async list(actor: Actor, dsId: string, ref: string): Promise<MergeRequestView[]> {
    const branch = await this.branches.find(actor, dsId, ref);
    const rows = await this.db.mergeRequest.findMany({
      where: { branchId: branch.id },
      include: WITH,
      orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
    });
    return rows.map((r) => viewMergeRequest(r, dsId));
  }

  /** One merge request. */
  async get(actor: Actor, dsId: string, ref: string, id: string): Promise<MergeRequestView> {
    const { row } = await this.find(actor, dsId, ref, id);
    return viewMergeRequest(row, dsId);
  }

  /** Approves (editors and admins; not the author's own request). */
  async approve(actor: Actor, dsId: string, ref: string, id: string, approved: boolean): Promise<MergeRequestView> {
    requireUser(actor);
    const { branch, row } = await this.find(actor, dsId, ref, id);
    authorize(actor, 'mergeRequest:approve', branch);
    if (row.status !== 'open') throw new AppError('conflict', `The merge request is ${row.status}`);
    if (approved && row.authorId === actor.userId)
      throw new AppError('forbidden', 'Authors cannot approve their own merge request');
    const key = { mergeRequestId_userId: { mergeRequestId: row.id, userId: actor.userId } };
    if (approved)
      await this.db.mergeRequestApproval.upsert({
        where: key,
        create: { mergeRequestId: row.id, userId: actor.userId },
        update: {},
      });
    else await this.db.mergeRequestApproval.deleteMany({ where: { mergeRequestId: row.id, userId: actor.userId } });
    const fresh = await this.db.mergeRequest.update({
      where: { id: row.id },
      data: { updatedAt: new Date() },
      include: WITH,
    });
    return this.updated(actor, branch, fresh, approved ? 'approved' : 'unapproved');
  }

  /** Closes the request without merging (the branch stays open). */
  async close(actor: Actor, dsId: string, ref: string, id: string): Promise<MergeRequestView> {
    const { branch, row } = await this.find(actor, dsId, ref, id);
    authorize(actor, 'branch:write', branch);
    if (row.status !== 'open') throw new AppError('conflict', `The merge request is ${row.status}`);
    const fresh = await this.db.mergeRequest.update({
      where: { id: row.id },
      data: { status: 'closed' },
      include: WITH,
    });
    return this.updated(actor, branch, fresh, 'closed');
  }

  /** A comment (or reply) on the request, optionally anchored to a diff entry. */
  async comment(
    actor: Actor,
    dsId: string,
    ref: string,
    id: string,
    input: {
      content: string;
      parentId?: string | undefined;
      entry?: string | undefined;
      mentions?: string[] | undefined;
    },
  ): Promise<CommentView> {
    const { row } = await this.find(actor, dsId, ref, id);
    return this.comments.create(actor, {
      resourceType: 'mergeRequest',
      resourceId: row.id,
      content: input.content,
      parentId: input.parentId,
      entry: input.entry,
      mentions: input.mentions,
    });
  }

  /** The request's comment threads. */
  async threads(actor: Actor, dsId: string, ref: string, id: string) {
    const { row } = await this.find(actor, dsId, ref, id);
    return this.comments.threads(actor, {
      resourceType: 'mergeRequest',
      resourceId: row.id,
      status: 'all',
      limit: 100,
    });
  }

  /**
   * Merges the branch into its target. Refused with `approvals_required` below the team's count,
   * and with `merge_conflicts` (listing them) unless every conflict has a choice: `ours` keeps the
   * target's value, `theirs` takes the branch's.
   */
  async merge(
    actor: Actor,
    dsId: string,
    ref: string,
    id: string,
    resolutions: Record<string, Choice>,
  ): Promise<MergeResult> {
    const { branch, row } = await this.find(actor, dsId, ref, id);
    authorize(actor, 'branch:write', branch);
    if (row.status !== 'open') throw new AppError('conflict', `The merge request is ${row.status}`);
    const { requiredApprovals } = await this.settings.read(branch.teamId);
    if (row.approvals.length < requiredApprovals) {
      throw new AppError('approvals_required', undefined, {
        required: requiredApprovals,
        approvals: row.approvals.length,
      });
    }
    const choices = new Map(Object.entries(resolutions));
    const diff = await this.branches.diffOf(actor, branch);
    const missing = diff.conflicts.filter((c) => !choices.has(c.id));
    if (missing.length) throw new AppError('merge_conflicts', undefined, { conflicts: missing });
    await this.checkRules(actor, branch, choices);
    // Read-only from here on, so nothing lands on the branch that the merge would miss.
    const merged = await this.branches.setStatus(branch, 'merged', {
      mergedAt: new Date(),
      mergedById: authorId(actor),
    });
    let changed: string[];
    let unresolved: string[];
    try {
      ({ changed, unresolved } = await this.apply(actor, merged, choices));
    } catch (err) {
      await this.branches.reopen(branch);
      throw err;
    }
    const fresh = await this.db.mergeRequest.update({
      where: { id: row.id },
      data: { status: 'merged', mergedAt: new Date(), mergedById: authorId(actor) },
      include: WITH,
    });
    const view = this.updated(actor, merged, fresh, 'merged');
    const branchView = viewBranch(merged);
    this.events.publish(
      'branch.merged',
      {
        teamId: branch.teamId,
        designSystemId: dsId,
        branch: branchView,
        mergeRequestId: row.id,
        into: branch.parentId,
        documents: changed,
      },
      eventActor(actor),
    );
    return { mergeRequest: view, branch: branchView, documents: changed, unresolved };
  }

  /**
   * Merges every document in a scratch copy of its target first and checks the result against the
   * target's live rules (a name main took meanwhile, a prop or text over its limit): each branch
   * was checked against itself, not against what main did since. Refuses with every violation.
   */
  private async checkRules(actor: Actor, branch: Branch, choices: ReadonlyMap<string, Choice>): Promise<void> {
    const violations: { document: string; code: string; message: string; details?: unknown }[] = [];
    for (const fork of await this.branches.forks(branch.id)) {
      const target = onBranch(fork.mainName, branch.parentId);
      const source = await this.readSource(actor, branch, fork);
      if (!source) continue;
      const state = await this.documents.encodeState(target, actor).catch((err: unknown) => {
        if (err instanceof AppError && err.code === 'not_found') return null;
        throw err;
      });
      if (!state) continue;
      const scratch = new Y.Doc({ gc: false });
      try {
        Y.applyUpdate(scratch, state);
        applyMerge(scratch, fork.kind, fork.mainName, source.update, flatBase(fork), source.flat, choices);
        await this.documents.checkRules(target, scratch);
      } catch (err) {
        if (!(err instanceof AppError)) throw err;
        violations.push({
          document: target,
          code: err.code,
          message: err.message,
          ...(err.details !== undefined ? { details: err.details } : {}),
        });
      } finally {
        scratch.destroy();
      }
    }
    if (violations.length) throw new AppError('merge_rule_violation', undefined, { violations });
  }

  /** The branch's side of a forked document: its changes since the fork and its fields (null: deleted). */
  private readSource(actor: Actor, branch: Branch, fork: ForkedDocument) {
    return this.documents
      .read(onBranch(fork.mainName, branch.id), actor, (d) => ({
        update: Y.encodeStateAsUpdate(d, fork.baseVector),
        flat: flatten(d, fork.kind),
      }))
      .catch((err: unknown) => (err instanceof AppError && err.code === 'not_found' ? null : Promise.reject(err)));
  }

  /** One transaction per document on the target; the rows REST reads are rebuilt at once. */
  private async apply(
    actor: Actor,
    branch: Branch,
    choices: ReadonlyMap<string, Choice>,
  ): Promise<{ changed: string[]; unresolved: string[] }> {
    const changed: string[] = [];
    const unresolved: string[] = [];
    for (const fork of await this.branches.forks(branch.id)) {
      const target = onBranch(fork.mainName, branch.parentId);
      const read = await this.readSource(actor, branch, fork);
      if (!read) continue;
      const base = flatBase(fork);
      const { result, update } = await this.documents
        .transact(target, actor, (doc) =>
          applyMerge(doc, fork.kind, fork.mainName, read.update, base, read.flat, choices),
        )
        .catch((err: unknown) =>
          err instanceof AppError && err.code === 'not_found' ? { result: [], update: null } : Promise.reject(err),
        );
      unresolved.push(...new Set(result));
      if (!update) continue;
      changed.push(target);
      if (!branch.parentId) await this.materialiser.run(target);
    }
    return { changed, unresolved };
  }

  private async find(actor: Actor, dsId: string, ref: string, id: string) {
    const branch = await this.branches.find(actor, dsId, ref);
    const row = await this.db.mergeRequest.findFirst({ where: { id, branchId: branch.id }, include: WITH });
    if (!row) throw notFound('No such merge request');
    return { branch, row };
  }

  private updated(
    actor: Actor,
    branch: Branch,
    row: Parameters<typeof viewMergeRequest>[0],
    change: string,
  ): MergeRequestView {
    const view = viewMergeRequest(row, branch.designSystemId);
    this.events.publish(
      'mergeRequest.updated',
      { teamId: branch.teamId, designSystemId: branch.designSystemId, mergeRequest: view, change },
      eventActor(actor),
    );
    return view;
  }
}
