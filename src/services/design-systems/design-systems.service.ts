// Design systems: CRUD scoped to a team, and the whole-system export.
import type { Db, DesignSystem } from '../../models/db.ts';
import { afterCursor, page } from '../../utils/cursor.ts';
import { notFound } from '../../utils/errors.ts';
import { authorId, type Actor } from '../actor.ts';
import type { DocumentService } from '../documents/document.service.ts';
import { eventActor } from '../events/actor.ts';
import type { EventBus } from '../events/bus.ts';
import { authorize } from '../policy.ts';
import type { DesignSystemRows } from './design-system-rows.ts';

export interface DesignSystemInput {
  name: string;
  version?: string | undefined;
  description?: string | undefined;
}

/** Design-system CRUD. */
export class DesignSystemService {
  private readonly db: Db;
  private readonly events: EventBus;
  private readonly documents: DocumentService;
  private readonly rows: DesignSystemRows;
  private readonly writeChecks: ((actor: Actor, ds: DesignSystem) => Promise<void>)[] = [];

  /** `rows`: the access check's cached reads; every change to a row here invalidates them (all nodes). */
  constructor(db: Db, events: EventBus, documents: DocumentService, rows: DesignSystemRows) {
    this.db = db;
    this.events = events;
    this.documents = documents;
    this.rows = rows;
    // Written elsewhere: a publish sets the version (the job, on whichever node runs it); a team's go with it.
    events.on('designSystem.published', ({ payload }) => rows.forgetTeam(payload.teamId));
    events.on('team.deleted', ({ payload }) => rows.forgetTeam(payload.teamId));
  }

  /** Creates a design system in a team the actor can edit. */
  async create(actor: Actor, teamId: string, input: DesignSystemInput): Promise<DesignSystem> {
    authorize(actor, 'designSystem:write', { teamId });
    const ds = await this.db.designSystem.create({
      data: {
        teamId,
        name: input.name,
        version: input.version ?? '0.1.0',
        description: input.description ?? null,
        createdById: authorId(actor),
      },
    });
    this.events.publish('designSystem.created', { teamId, designSystemId: ds.id, name: ds.name }, eventActor(actor));
    return ds;
  }

  /** Design systems in the actor's teams (optionally one team), newest first. */
  async list(actor: Actor, query: { teamId?: string | undefined; limit: number; cursor?: string | undefined }) {
    const teams = [...actor.roles.keys()].filter((t) => !query.teamId || t === query.teamId);
    const rows = await this.db.designSystem.findMany({
      where: { teamId: { in: teams }, ...afterCursor(query.cursor, 'desc') },
      orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
      take: query.limit + 1,
    });
    return page(rows, query.limit);
  }

  /** One design system the actor may read. */
  async get(actor: Actor, id: string): Promise<DesignSystem> {
    const ds = await this.rows.find(id);
    if (!ds) throw notFound();
    authorize(actor, 'designSystem:read', ds);
    return ds;
  }

  /** Checks access for an action on a design system and returns it. */
  async require(
    actor: Actor,
    id: string,
    action: 'designSystem:read' | 'designSystem:write' | 'designSystem:delete' | 'designSystem:publish',
  ): Promise<DesignSystem> {
    const ds = await this.get(actor, id);
    authorize(actor, action, ds);
    if (action === 'designSystem:write') for (const check of this.writeChecks) await check(actor, ds);
    return ds;
  }

  /** Adds a check every write of the design system's main content passes (a protected main). */
  addWriteCheck(check: (actor: Actor, ds: DesignSystem) => Promise<void>): void {
    this.writeChecks.push(check);
  }

  /** Renames, re-describes or re-versions a design system. */
  async update(actor: Actor, id: string, input: Partial<DesignSystemInput>): Promise<DesignSystem> {
    const ds = await this.require(actor, id, 'designSystem:write');
    const data = Object.fromEntries(Object.entries(input).filter(([, v]) => v !== undefined));
    const updated = await this.db.designSystem.update({ where: { id }, data });
    await this.rows.forgetTeam(ds.teamId);
    this.events.publish(
      'designSystem.updated',
      { teamId: ds.teamId, designSystemId: id, changes: data },
      eventActor(actor),
    );
    return updated;
  }

  /** Deletes a design system with its components, tokens and documents. */
  async remove(actor: Actor, id: string): Promise<DesignSystem> {
    const ds = await this.require(actor, id, 'designSystem:delete');
    // Its documents and their logs go with it (foreign keys); live copies are dropped on every node.
    await this.db.designSystem.delete({ where: { id } });
    await this.rows.forgetTeam(ds.teamId);
    await this.documents.forgetOwned({ designSystemId: id });
    this.events.publish('designSystem.deleted', { teamId: ds.teamId, designSystemId: id }, eventActor(actor));
    return ds;
  }
}
