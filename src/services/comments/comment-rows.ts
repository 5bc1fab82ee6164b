// A new comment written with one raw INSERT … RETURNING and mapped to Prisma's `Comment` type:
// Prisma's create costs the server about twice the CPU on the route every commenter hits. A column
// added to the model is a type error in `commentOf`; the test in
// tests/integration/services/comments/comment-rows.test.ts compares the mapping with Prisma's reading.
import type { Comment, Db, Prisma } from '../../models/db.ts';

/** What a new comment is made of (the rest takes the table's defaults). */
export interface CommentInsert {
  teamId: string;
  designSystemId: string;
  resourceType: string;
  resourceId: string;
  parentId: string | null;
  userId: string;
  content: string;
  mentions: string[];
  anchor?: object;
}

/** A `comments` row as PostgreSQL returns it (`RETURNING *`). */
interface CommentColumns {
  id: string;
  team_id: string;
  design_system_id: string;
  resource_type: string;
  resource_id: string;
  parent_id: string | null;
  user_id: string | null;
  content: string;
  anchor: Prisma.JsonValue | null;
  mentions: string[];
  resolved: boolean;
  resolved_by: string | null;
  resolved_at: Date | null;
  edited_at: Date | null;
  deleted_at: Date | null;
  created_at: Date;
  updated_at: Date;
}

/** The row as Prisma would give it. */
export function commentOf(r: CommentColumns): Comment {
  return {
    id: r.id,
    teamId: r.team_id,
    designSystemId: r.design_system_id,
    resourceType: r.resource_type,
    resourceId: r.resource_id,
    parentId: r.parent_id,
    userId: r.user_id,
    content: r.content,
    anchor: r.anchor,
    mentions: r.mentions,
    resolved: r.resolved,
    resolvedById: r.resolved_by,
    resolvedAt: r.resolved_at,
    editedAt: r.edited_at,
    deletedAt: r.deleted_at,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

/** Inserts a comment and answers its row. */
export async function insertComment(db: Db, c: CommentInsert): Promise<Comment> {
  const anchor = c.anchor === undefined ? null : JSON.stringify(c.anchor);
  const [row] = await db.$queryRaw<CommentColumns[]>`
    INSERT INTO comments (id, team_id, design_system_id, resource_type, resource_id, parent_id, user_id, content, mentions, anchor)
    VALUES (gen_random_uuid(), ${c.teamId}::uuid, ${c.designSystemId}::uuid, ${c.resourceType}, ${c.resourceId}::uuid,
      ${c.parentId}::uuid, ${c.userId}::uuid, ${c.content}, ${c.mentions}::uuid[], ${anchor}::jsonb)
    RETURNING *`;
  return commentOf(row as CommentColumns);
}
