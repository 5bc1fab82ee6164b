// What a comment can be about, and which design system and team that puts it in.
import type { Db } from '../../models/db.ts';
import { notFound } from '../../utils/errors.ts';

export type ResourceType = 'component' | 'token' | 'designSystem' | 'mergeRequest';

export interface ResourceOwner {
  teamId: string;
  designSystemId: string;
}

/**
 * The design system and team of a commentable resource, or `not_found`. One query each: the owner
 * is found through the relation filter (`…: { some: { id } }`), not by loading the resource and then
 * its owner.
 */
export async function resourceOwner(db: Db, type: ResourceType, id: string): Promise<ResourceOwner> {
  const select = { id: true, teamId: true } as const;
  if (type === 'mergeRequest') {
    const b = await db.branch.findFirst({
      where: { mergeRequests: { some: { id } } },
      select: { teamId: true, designSystemId: true },
    });
    if (b) return b;
    throw notFound();
  }
  const ds =
    type === 'designSystem'
      ? await db.designSystem.findUnique({ where: { id }, select })
      : type === 'component'
        ? await db.designSystem.findFirst({ where: { components: { some: { id } } }, select })
        : await db.designSystem.findFirst({ where: { tokens: { some: { id } } }, select });
  if (ds) return { teamId: ds.teamId, designSystemId: ds.id };
  throw notFound();
}
