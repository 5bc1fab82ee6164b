// Component version history: snapshots with author and message, diffs between any two, and revert
// as a new transaction recorded as a new version (history is never rewritten).
import type { Component, ComponentVersion, Db, Prisma } from '../../models/db.ts';
import { AppError } from '../../utils/errors.ts';
import { authorId, type Actor } from '../actor.ts';
import type { ComponentContent } from '../documents/component-doc.ts';
import { diffComponents } from './component-diff.ts';

/** The content stored in a version row. */
export const versionContent = (v: ComponentVersion): ComponentContent => ({
  name: v.name,
  category: v.category,
  status: 'draft',
  code: v.code,
  docs: v.documentation ?? '',
  props: (v.props ?? {}) as Record<string, unknown>,
});

/** Reads and writes `component_versions`. Access is checked by the caller (ComponentService). */
export class ComponentVersionService {
  private readonly db: Db;

  constructor(db: Db) {
    this.db = db;
  }

  /** Records the component's content as version `row.version` (a no-op if that version exists). */
  async snapshot(
    actor: Actor | null,
    row: Component,
    content: ComponentContent,
    message: string | null,
  ): Promise<ComponentVersion> {
    const existing = await this.db.componentVersion.findUnique({
      where: { componentId_version: { componentId: row.id, version: row.version } },
    });
    if (existing) return existing;
    return this.db.componentVersion.create({
      data: {
        componentId: row.id,
        version: row.version,
        name: content.name,
        category: content.category,
        props: content.props as Prisma.InputJsonValue,
        code: content.code,
        documentation: content.docs,
        changedById: actor ? authorId(actor) : null,
        changeMessage: message,
      },
    });
  }

  /** Every saved version of a component, newest first. */
  list(componentId: string): Promise<ComponentVersion[]> {
    return this.db.componentVersion.findMany({ where: { componentId }, orderBy: { version: 'desc' } });
  }

  /** One saved version, or `not_found`. */
  async get(componentId: string, version: number): Promise<ComponentVersion> {
    const row = await this.db.componentVersion.findUnique({ where: { componentId_version: { componentId, version } } });
    if (!row) throw new AppError('not_found', `Version ${version} does not exist`);
    return row;
  }

  /** Field-level diff from version `a` to version `b`. */
  async diff(componentId: string, a: number, b: number) {
    const [va, vb] = await Promise.all([this.get(componentId, a), this.get(componentId, b)]);
    return { from: a, to: b, changes: diffComponents(versionContent(va), versionContent(vb), [`v${a}`, `v${b}`]) };
  }
}
