// @mentions: `@handle` in the text and structured user ids, resolved to team members only.
import type { Db } from '../../models/db.ts';
import { AppError } from '../../utils/errors.ts';

const HANDLE = /(?<![\w@.])@([a-z0-9][a-z0-9_.-]{0,29}[a-z0-9_]|[a-z0-9])/gi;

/** The handles written as `@handle` in a text. */
export function handlesIn(text: string): string[] {
  return [...new Set([...text.matchAll(HANDLE)].map((m) => (m[1] as string).toLowerCase()))];
}

/**
 * The members a comment mentions. Structured mentions must be team members (anything else is
 * refused); `@handle`s that match no member are just text.
 */
export async function resolveMentions(db: Db, teamId: string, content: string, structured: string[] = []): Promise<string[]> {
  const handles = handlesIn(content);
  const members = await db.teamMember.findMany({
    where: { teamId, OR: [{ userId: { in: structured } }, { user: { handle: { in: handles } } }] },
    select: { userId: true },
  });
  const memberIds = new Set(members.map((m) => m.userId));
  const outsiders = structured.filter((id) => !memberIds.has(id));
  if (outsiders.length) {
    throw new AppError(
      'validation_failed',
      'Only members of the team can be mentioned',
      outsiders.map((id, i) => ({ path: `mentions.${structured.indexOf(id) >= 0 ? structured.indexOf(id) : i}`, code: 'not_a_member', message: `${id} is not a member of this team` })),
    );
  }
  return [...memberIds];
}
