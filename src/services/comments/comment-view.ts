// The shape a comment takes everywhere it is shown (REST, sockets, webhooks, exports): author (or a
// deleted-user placeholder), sanitised HTML, reactions with who reacted, and the live anchor.
import type { Comment, Reaction, User } from '../../models/db.ts';
import type { ResolvedAnchor } from './anchors.ts';
import { renderMarkdown } from './markdown.ts';

/** The author's fields a comment shows (never the whole user row). */
export const AUTHOR_FIELDS = { id: true, name: true, handle: true, avatarUrl: true } as const;
export type CommentAuthor = Pick<User, keyof typeof AUTHOR_FIELDS>;

export type CommentRow = Comment & { user: CommentAuthor | null; reactions: Reaction[] };

export interface CommentView {
  id: string;
  designSystemId: string;
  resourceType: string;
  resourceId: string;
  parentId: string | null;
  author: { id: string; name: string; handle: string | null; avatarUrl: string | null } | null;
  content: string;
  html: string;
  deleted: boolean;
  mentions: string[];
  anchor: ResolvedAnchor | null;
  resolved: boolean;
  resolvedById: string | null;
  resolvedAt: string | null;
  reactions: { emoji: string; count: number; userIds: string[] }[];
  editedAt: string | null;
  createdAt: string;
  updatedAt: string;
  replies?: CommentView[];
}

const DELETED = '_This comment was deleted._';

/** Groups reactions by emoji, in the order they were first used. */
export function summariseReactions(reactions: Reaction[]): CommentView['reactions'] {
  const byEmoji = new Map<string, string[]>();
  for (const r of [...reactions].sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime())) {
    byEmoji.set(r.emoji, [...(byEmoji.get(r.emoji) ?? []), r.userId]);
  }
  return [...byEmoji].map(([emoji, userIds]) => ({ emoji, count: userIds.length, userIds }));
}

/** A comment row as everyone sees it. */
export function viewComment(row: CommentRow, anchor: ResolvedAnchor | null = null): CommentView {
  const deleted = row.deletedAt !== null;
  const content = deleted ? DELETED : row.content;
  return {
    id: row.id,
    designSystemId: row.designSystemId,
    resourceType: row.resourceType,
    resourceId: row.resourceId,
    parentId: row.parentId,
    author:
      deleted || !row.user
        ? null
        : { id: row.user.id, name: row.user.name, handle: row.user.handle, avatarUrl: row.user.avatarUrl },
    content,
    html: renderMarkdown(content),
    deleted,
    mentions: deleted ? [] : row.mentions,
    anchor,
    resolved: row.resolved,
    resolvedById: row.resolvedById,
    resolvedAt: row.resolvedAt?.toISOString() ?? null,
    reactions: deleted ? [] : summariseReactions(row.reactions),
    editedAt: row.editedAt?.toISOString() ?? null,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}
