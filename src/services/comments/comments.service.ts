// Comment threads on components, tokens and design systems: one level of replies, edits by the
// author, deletion by the author or an admin (a deleted root keeps its replies as a placeholder),
// resolve and reopen, code anchors that follow the text, and mentions of team members.
import type { Db } from '../../models/db.ts';
import { afterCursor, page } from '../../utils/cursor.ts';
import { AppError, notFound } from '../../utils/errors.ts';
import { authorId, type Actor } from '../actor.ts';
import type { DocumentService } from '../documents/document.service.ts';
import { componentDoc } from '../documents/document-names.ts';
import { eventActor } from '../events/actor.ts';
import type { EventBus } from '../events/bus.ts';
import { authorize, can, requireUser } from '../policy.ts';
import type { RateLimiter } from '../rate-limit.service.ts';
import { createAnchor, resolveAnchor, type DiffAnchor, type StoredAnchor } from './anchors.ts';
import { insertComment } from './comment-rows.ts';
import { ownerAndAuthor, resourceOwner, type ResourceOwner, type ResourceType } from './comment-resources.ts';
import { AUTHOR_FIELDS, viewComment, type CommentRow, type CommentView } from './comment-view.ts';
import { resolveMentions } from './mentions.ts';

export interface NewComment {
  resourceType: ResourceType;
  resourceId: string;
  content: string;
  parentId?: string | undefined;
  /** For component comments: a range of the code to anchor to. */
  anchor?: { offset: number; length: number } | undefined;
  /** For merge-request comments: the diff entry it is about. */
  entry?: string | undefined;
  mentions?: string[] | undefined;
}

export interface ThreadQuery {
  resourceType: ResourceType;
  resourceId: string;
  status: 'open' | 'resolved' | 'all';
  limit: number;
  cursor?: string | undefined;
}

const INCLUDE = { user: { select: AUTHOR_FIELDS }, reactions: true } as const;

/** The author's answer to a create or edit: the comment, and the `@handle`s that notified no one. */
export type WrittenComment = CommentView & { unmatchedMentions: string[] };

/** Comment threads. */
export class CommentService {
  private readonly db: Db;
  private readonly events: EventBus;
  private readonly documents: DocumentService;
  private readonly limiter: RateLimiter;
  private readonly perMinute: number;

  constructor(db: Db, events: EventBus, documents: DocumentService, limiter: RateLimiter, perMinute: number) {
    this.db = db;
    this.events = events;
    this.documents = documents;
    this.limiter = limiter;
    this.perMinute = perMinute;
  }

  /** Creates a comment or a reply. */
  async create(actor: Actor, input: NewComment): Promise<WrittenComment> {
    requireUser(actor);
    // The resource's owner and the author's shown fields are read in one statement; nothing is used
    // before the check passed.
    const { owner, author } = await ownerAndAuthor(this.db, input.resourceType, input.resourceId, actor.userId);
    authorize(actor, 'comment:write', owner);
    await this.limiter.consume({ key: `comments:${actor.userId}`, max: this.perMinute, windowSeconds: 60 });
    let parent: CommentRow | null = null;
    if (input.parentId) {
      parent = await this.db.comment.findUnique({ where: { id: input.parentId }, include: INCLUDE });
      if (!parent || parent.resourceId !== input.resourceId || parent.resourceType !== input.resourceType)
        throw new AppError('not_found', 'No such thread on this resource');
      // One level of replies, as in Figma and Liveblocks: a reply to a reply joins the thread.
      if (parent.parentId)
        parent = await this.db.comment.findUniqueOrThrow({ where: { id: parent.parentId }, include: INCLUDE });
    }
    const anchor: StoredAnchor | DiffAnchor | null = input.anchor
      ? await this.anchorFor(actor, input)
      : input.entry
        ? { type: 'diff', entry: input.entry }
        : null;
    const mentions = await resolveMentions(this.db, owner.teamId, input.content, input.mentions);
    // One INSERT … RETURNING: a new comment has no reactions, and its author was read above.
    const created = await insertComment(this.db, {
      teamId: owner.teamId,
      designSystemId: owner.designSystemId,
      resourceType: input.resourceType,
      resourceId: input.resourceId,
      parentId: parent?.id ?? null,
      userId: actor.userId,
      content: input.content,
      mentions: mentions.userIds.filter((id) => id !== actor.userId),
      ...(anchor ? { anchor: anchor as unknown as object } : {}),
    });
    const row: CommentRow = { ...created, user: author, reactions: [] };
    const comment = await this.view(actor, row);
    this.events.publish('comment.created', { ...owner, comment, threadId: parent?.id ?? row.id }, eventActor(actor));
    return { ...comment, unmatchedMentions: mentions.unmatched };
  }

  /** Threads on a resource (roots newest first, replies oldest first), filtered by status. */
  async threads(actor: Actor, query: ThreadQuery): Promise<{ items: CommentView[]; nextCursor: string | null }> {
    const owner = await resourceOwner(this.db, query.resourceType, query.resourceId);
    authorize(actor, 'designSystem:read', owner);
    const roots = await this.db.comment.findMany({
      where: {
        resourceType: query.resourceType,
        resourceId: query.resourceId,
        parentId: null,
        ...(query.status === 'all' ? {} : { resolved: query.status === 'resolved' }),
        ...afterCursor(query.cursor, 'desc'),
      },
      include: { ...INCLUDE, replies: { include: INCLUDE, orderBy: { createdAt: 'asc' } } },
      orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
      take: query.limit + 1,
    });
    const { items, nextCursor } = page(roots, query.limit);
    const views = await Promise.all(
      items.map(async (root) => ({
        ...(await this.view(actor, root)),
        replies: await Promise.all(root.replies.map((r) => this.view(actor, r))),
      })),
    );
    return { items: views, nextCursor };
  }

  /** One comment. */
  async get(actor: Actor, id: string): Promise<CommentView> {
    const row = await this.find(actor, id);
    return this.view(actor, row);
  }

  /** Edits the text (the author only). New mentions are notified. */
  async update(actor: Actor, id: string, content: string, structured?: string[]): Promise<WrittenComment> {
    requireUser(actor);
    const row = await this.find(actor, id);
    if (row.deletedAt) throw notFound();
    if (row.userId !== actor.userId) throw new AppError('forbidden', 'Only the author can edit a comment');
    const resolved = await resolveMentions(this.db, row.teamId, content, structured);
    const mentions = resolved.userIds.filter((m) => m !== actor.userId);
    const updated = await this.db.comment.update({
      where: { id },
      data: { content, mentions, editedAt: new Date() },
      include: INCLUDE,
    });
    const comment = await this.view(actor, updated);
    const newMentions = mentions.filter((m) => !row.mentions.includes(m));
    this.events.publish(
      'comment.updated',
      {
        teamId: row.teamId,
        designSystemId: row.designSystemId,
        comment,
        threadId: row.parentId ?? row.id,
        newMentions,
      },
      eventActor(actor),
    );
    return { ...comment, unmatchedMentions: resolved.unmatched };
  }

  /** Deletes a comment (author or admin). A root with replies stays as a "deleted" placeholder. */
  async remove(actor: Actor, id: string): Promise<void> {
    const row = await this.find(actor, id);
    if (row.deletedAt) throw notFound();
    const isAuthor = actor.kind === 'user' && row.userId === actor.userId;
    if (!isAuthor) authorize(actor, 'comment:moderate', row);
    const replies = row.parentId ? 0 : await this.db.comment.count({ where: { parentId: id, deletedAt: null } });
    if (replies > 0) {
      await this.db.$transaction([
        this.db.comment.update({ where: { id }, data: { deletedAt: new Date(), content: '', mentions: [] } }),
        this.db.reaction.deleteMany({ where: { commentId: id } }),
      ]);
    } else {
      await this.db.comment.delete({ where: { id } });
    }
    this.events.publish(
      'comment.deleted',
      {
        teamId: row.teamId,
        designSystemId: row.designSystemId,
        commentId: id,
        resourceId: row.resourceId,
        threadId: row.parentId ?? row.id,
      },
      eventActor(actor),
    );
  }

  /** Resolves or reopens a thread (its author, or an editor). */
  async setResolved(actor: Actor, id: string, resolved: boolean): Promise<CommentView> {
    const row = await this.find(actor, id);
    if (row.parentId)
      throw new AppError('validation_failed', 'Resolve the thread, not a reply', [
        { path: 'id', code: 'not_a_thread', message: 'This comment is a reply' },
      ]);
    const isAuthor = actor.kind === 'user' && row.userId === actor.userId;
    if (!isAuthor) authorize(actor, 'comment:resolve', row);
    const updated = await this.db.comment.update({
      where: { id },
      data: resolved
        ? { resolved: true, resolvedAt: new Date(), resolvedById: authorId(actor) }
        : { resolved: false, resolvedAt: null, resolvedById: null },
      include: INCLUDE,
    });
    const comment = await this.view(actor, updated);
    this.events.publish(
      resolved ? 'comment.resolved' : 'comment.reopened',
      { teamId: row.teamId, designSystemId: row.designSystemId, comment },
      eventActor(actor),
    );
    return comment;
  }

  /** The comment if the actor may see it (others' comments answer like missing ones). */
  async find(actor: Actor, id: string): Promise<CommentRow & ResourceOwner> {
    const row = await this.db.comment.findUnique({ where: { id }, include: INCLUDE });
    if (!row || !can(actor, 'designSystem:read', row)) throw notFound();
    return row;
  }

  private async anchorFor(actor: Actor, input: NewComment): Promise<StoredAnchor> {
    if (input.resourceType !== 'component' || !input.anchor) {
      throw new AppError('validation_failed', undefined, [
        { path: 'anchor', code: 'not_anchorable', message: 'Only component comments can anchor to code' },
      ]);
    }
    const { offset, length } = input.anchor;
    return this.documents.read(componentDoc(input.resourceId), actor, (doc) => createAnchor(doc, offset, length));
  }

  private async view(actor: Actor, row: CommentRow): Promise<CommentView> {
    const stored = row.anchor as unknown as StoredAnchor | DiffAnchor | null;
    if (stored?.type === 'diff') return viewComment(row, { start: null, end: null, text: null, entry: stored.entry });
    const anchor =
      stored && !row.deletedAt
        ? await this.documents
            .read(componentDoc(row.resourceId), actor, (doc) => resolveAnchor(doc, stored))
            .catch(() => null)
        : null;
    return viewComment(row, anchor);
  }
}
