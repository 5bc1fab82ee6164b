// Row → API JSON for design systems, components and component versions.
import type { Component, ComponentVersion, DesignSystem } from '../db.ts';

/** The public view of a design system. */
export function presentDesignSystem(ds: DesignSystem) {
  return {
    id: ds.id,
    teamId: ds.teamId,
    name: ds.name,
    description: ds.description,
    version: ds.version,
    published: ds.published,
    createdById: ds.createdById,
    createdAt: ds.createdAt.toISOString(),
    updatedAt: ds.updatedAt.toISOString(),
  };
}

/** The public view of a component (its content as last materialised from the live document). */
export function presentComponent(c: Omit<Component, 'docSnapshot'>) {
  return {
    id: c.id,
    designSystemId: c.designSystemId,
    name: c.name,
    category: c.category,
    status: c.status,
    props: c.props,
    code: c.code,
    documentation: c.documentation ?? '',
    version: c.version,
    document: `component:${c.id}`,
    createdById: c.createdById,
    createdAt: c.createdAt.toISOString(),
    updatedAt: c.updatedAt.toISOString(),
  };
}

/** The public view of a saved component version. */
export function presentComponentVersion(v: ComponentVersion) {
  return {
    id: v.id,
    componentId: v.componentId,
    version: v.version,
    name: v.name,
    category: v.category,
    props: v.props,
    code: v.code,
    documentation: v.documentation ?? '',
    changedById: v.changedById,
    message: v.changeMessage,
    createdAt: v.createdAt.toISOString(),
  };
}
