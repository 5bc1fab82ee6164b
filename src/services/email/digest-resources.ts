// Names the resource a comment thread is on, for a digest's subject, and the REST path that shows it.
import type { Prisma } from '../../models/db.ts';

/** How a digest names a thread's resource: `component "Button"`, and where it is read. */
export interface ResourceLabel {
  label: string;
  path: string;
}

/** Looks up the resource's current name (a generic label if it is gone). */
export async function describeResource(
  db: Prisma.TransactionClient,
  type: string,
  id: string,
  dsId: string,
): Promise<ResourceLabel> {
  const ds = `/api/design-systems/${dsId}`;
  if (type === 'component') {
    const c = await db.component.findUnique({ where: { id }, select: { name: true } });
    return { label: c ? `component "${c.name}"` : 'a component', path: `${ds}/components/${id}` };
  }
  if (type === 'token') {
    const t = await db.designToken.findUnique({ where: { id }, select: { category: true, name: true } });
    return { label: t ? `token "${t.category}.${t.name}"` : 'a token', path: `${ds}/tokens` };
  }
  if (type === 'mergeRequest') {
    const m = await db.mergeRequest.findUnique({ where: { id }, select: { title: true } });
    return { label: m ? `merge request "${m.title}"` : 'a merge request', path: ds };
  }
  const d = await db.designSystem.findUnique({ where: { id: dsId }, select: { name: true } });
  return { label: d ? `design system "${d.name}"` : 'a design system', path: ds };
}
