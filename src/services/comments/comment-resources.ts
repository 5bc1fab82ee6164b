// What a comment can be about, and which design system and team that puts it in.
import type { Db } from '../../models/db.ts';
import { notFound } from '../../utils/errors.ts';

export type ResourceType = 'component' | 'token' | 'designSystem' | 'mergeRequest';

export interface ResourceOwner {
  teamId: string;
  designSystemId: string;
}

/** The design system and team of a commentable resource, or `not_found`. */
export async function resourceOwner(db: Db, type: ResourceType, id: string): Promise<ResourceOwner> {
  if (type === 'designSystem') {
    const ds = await db.designSystem.findUnique({ where: { id }, select: { id: true, teamId: true } });
    if (ds) return { teamId: ds.teamId, designSystemId: ds.id };
  } else if (type === 'component') {
    const c = await db.component.findUnique({
      where: { id },
      select: { designSystem: { select: { id: true, teamId: true } } },
    });
    if (c) return { teamId: c.designSystem.teamId, designSystemId: c.designSystem.id };
  } else if (type === 'mergeRequest') {
    const m = await db.mergeRequest.findUnique({
      where: { id },
      select: { branch: { select: { teamId: true, designSystemId: true } } },
    });
    if (m) return m.branch;
  } else {
    const t = await db.designToken.findUnique({
      where: { id },
      select: { designSystem: { select: { id: true, teamId: true } } },
    });
    if (t) return { teamId: t.designSystem.teamId, designSystemId: t.designSystem.id };
  }
  throw notFound();
}
