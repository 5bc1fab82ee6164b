// @mentions: `@handle` in the text and structured user ids, resolved to team members only.
import type { Db } from '../../models/db.ts';
import { AppError } from '../../utils/errors.ts';

const HANDLE = /(?<![\w@.])@([a-z0-9][a-z0-9_.-]{0,29}[a-z0-9_]|[a-z0-9])/gi;

/** The handles written as `@handle` in a text. */
export function handlesIn(text: string): string[] {
  return [...new Set([...text.matchAll(HANDLE)].map((m) => (m[1] as string).toLowerCase()))];
}

/** Who a comment mentions: members to notify, and the `@handle`s that matched no member. */
export interface ResolvedMentions {
  userIds: string[];
  /**
   * Handles written in the text that are no member of the team: the text keeps them and nobody is
   * notified. (`@media` in a CSS remark is text, not a mistake, so this is reported, not refused.)
   */
  unmatched: string[];
}

/**
 * The members a comment mentions. Structured mentions must be team members (anything else is
 * refused: a client sent an id it should not have); `@handle`s that match no member stay text.
 */
export async function resolveMentions(
  db: Db,
  teamId: string,
  content: string,
  structured: string[] = [],
): Promise<ResolvedMentions> {
  const handles = handlesIn(content);
  // Nothing to look up (most comments): no query.
  if (!handles.length && !structured.length) return { userIds: [], unmatched: [] };
  const members = await db.teamMember.findMany({
    where: { teamId, OR: [{ userId: { in: structured } }, { user: { handle: { in: handles } } }] },
    select: { userId: true, user: { select: { handle: true } } },
  });
  const memberIds = new Set(members.map((m) => m.userId));
  const outsiders = structured.filter((id) => !memberIds.has(id));
  if (outsiders.length) {
    throw new AppError(
      'validation_failed',
      'Only members of the team can be mentioned',
      outsiders.map((id, i) => ({
        path: `mentions.${structured.indexOf(id) >= 0 ? structured.indexOf(id) : i}`,
        code: 'not_a_member',
        message: `${id} is not a member of this team`,
      })),
    );
  }
  const memberHandles = new Set(members.map((m) => m.user.handle?.toLowerCase()));
  return { userIds: [...memberIds], unmatched: handles.filter((h) => !memberHandles.has(h)) };
}
