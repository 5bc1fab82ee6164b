// What a comment can be about, and which design system and team that puts it in.
import type { Db } from '../../models/db.ts';
import { notFound } from '../../utils/errors.ts';
import type { CommentAuthor } from './comment-view.ts';

export type ResourceType = 'component' | 'token' | 'designSystem' | 'mergeRequest';

export interface ResourceOwner {
  teamId: string;
  designSystemId: string;
}

/** Per resource type, the team and design system of resource `$1` (constant text: ids are parameters). */
const OWNER_SQL: Record<ResourceType, string> = {
  designSystem: 'SELECT team_id, id AS design_system_id FROM design_systems WHERE id = $1::uuid',
  component:
    'SELECT ds.team_id, ds.id AS design_system_id FROM components c JOIN design_systems ds ON ds.id = c.design_system_id WHERE c.id = $1::uuid',
  token:
    'SELECT ds.team_id, ds.id AS design_system_id FROM design_tokens t JOIN design_systems ds ON ds.id = t.design_system_id WHERE t.id = $1::uuid',
  mergeRequest:
    'SELECT b.team_id, b.design_system_id FROM merge_requests mr JOIN branches b ON b.id = mr.branch_id WHERE mr.id = $1::uuid',
};

interface OwnerColumns {
  team_id: string;
  design_system_id: string;
}

/** The design system and team of a commentable resource, or `not_found`: one query, whatever the type. */
export async function resourceOwner(db: Db, type: ResourceType, id: string): Promise<ResourceOwner> {
  const [row] = await db.$queryRawUnsafe<OwnerColumns[]>(OWNER_SQL[type], id);
  if (!row) throw notFound();
  return { teamId: row.team_id, designSystemId: row.design_system_id };
}

/**
 * The resource's owner (or `not_found`) and the shown fields of the user about to comment on it, in
 * one statement: creating a comment needs both, and each statement costs the server ~300 µs of CPU
 * however small. The author is null if the user is gone (as a separate lookup would have found).
 */
export async function ownerAndAuthor(
  db: Db,
  type: ResourceType,
  id: string,
  userId: string,
): Promise<{ owner: ResourceOwner; author: CommentAuthor | null }> {
  const [row] = await db.$queryRawUnsafe<
    (OwnerColumns & { id: string | null; name: string; handle: string | null; avatar_url: string | null })[]
  >(
    `SELECT o.team_id, o.design_system_id, u.id, u.name, u.handle, u.avatar_url
     FROM (${OWNER_SQL[type]}) o LEFT JOIN users u ON u.id = $2::uuid`,
    id,
    userId,
  );
  if (!row) throw notFound();
  return {
    owner: { teamId: row.team_id, designSystemId: row.design_system_id },
    author: row.id === null ? null : { id: row.id, name: row.name, handle: row.handle, avatarUrl: row.avatar_url },
  };
}
