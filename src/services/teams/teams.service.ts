// Teams: the tenant boundary. The creator becomes owner; every read and write goes through policy.
import type { Db, Team, TeamRole } from '../../models/db.ts';
import { AppError, notFound } from '../../utils/errors.ts';
import type { Actor } from '../actor.ts';
import type { SessionCache } from '../auth/session-cache.ts';
import { eventActor } from '../events/actor.ts';
import type { EventBus } from '../events/bus.ts';
import { authorize, requireUser, roleIn } from '../policy.ts';

/** Makes a URL-safe slug from a name. */
export function slugify(name: string): string {
  const slug = name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60);
  return slug || 'team';
}

const isUniqueViolation = (err: unknown) => (err as { code?: string }).code === 'P2002';

/** Team CRUD scoped to the actor's memberships. */
export class TeamService {
  private readonly db: Db;
  private readonly events: EventBus;
  private readonly sessions: SessionCache;

  /** `sessions`: cached roles are invalidated after a team is made or deleted, before it is announced. */
  constructor(db: Db, events: EventBus, sessions: SessionCache) {
    this.db = db;
    this.events = events;
    this.sessions = sessions;
  }

  /** Creates a team with the acting user as its owner. */
  async create(actor: Actor, input: { name: string; slug?: string | undefined }): Promise<Team & { role: TeamRole }> {
    requireUser(actor);
    const team = await this.insertWithSlug(input.name, input.slug, actor.userId);
    await this.sessions.invalidate(actor.userId);
    this.events.publish('team.created', { teamId: team.id, name: team.name }, eventActor(actor));
    return { ...team, role: 'owner' };
  }

  /** Teams the actor belongs to, with the actor's role in each. */
  async list(actor: Actor): Promise<(Team & { role: TeamRole })[]> {
    const teams = await this.db.team.findMany({
      where: { id: { in: [...actor.roles.keys()] } },
      orderBy: { createdAt: 'asc' },
    });
    return teams.map((t) => ({ ...t, role: roleIn(actor, t.id) as TeamRole }));
  }

  /** One team, if the actor may see it. */
  async get(actor: Actor, teamId: string): Promise<Team & { role: TeamRole }> {
    authorize(actor, 'team:read', { teamId });
    const team = await this.db.team.findUnique({ where: { id: teamId } });
    if (!team) throw notFound();
    return { ...team, role: roleIn(actor, teamId) as TeamRole };
  }

  /** Renames a team or changes its slug. */
  async update(
    actor: Actor,
    teamId: string,
    input: { name?: string | undefined; slug?: string | undefined },
  ): Promise<Team & { role: TeamRole }> {
    authorize(actor, 'team:update', { teamId });
    const data = { ...(input.name ? { name: input.name } : {}), ...(input.slug ? { slug: input.slug } : {}) };
    const team = await this.db.team.update({ where: { id: teamId }, data }).catch((err: unknown) => {
      if (isUniqueViolation(err)) throw new AppError('slug_taken');
      throw err;
    });
    this.events.publish('team.updated', { teamId, changes: data }, eventActor(actor));
    return { ...team, role: roleIn(actor, teamId) as TeamRole };
  }

  /** Deletes a team and everything it owns (owners only). */
  async remove(actor: Actor, teamId: string): Promise<void> {
    authorize(actor, 'team:delete', { teamId });
    await this.db.team.delete({ where: { id: teamId } });
    // Its members are whoever they were at the delete (one may have joined a moment before): drop every user's.
    await this.sessions.invalidateAll();
    this.events.publish('team.deleted', { teamId }, eventActor(actor));
  }

  private async insertWithSlug(name: string, wanted: string | undefined, ownerId: string): Promise<Team> {
    const base = wanted ?? slugify(name);
    for (let attempt = 0; attempt < 5; attempt++) {
      // An explicit slug must be free; a derived one gets a short suffix on collision.
      const slug = attempt === 0 ? base : `${base}-${Math.random().toString(36).slice(2, 7)}`;
      try {
        return await this.db.team.create({
          data: { name, slug, members: { create: { userId: ownerId, role: 'owner' } } },
        });
      } catch (err) {
        if (!isUniqueViolation(err)) throw err;
        if (wanted) throw new AppError('slug_taken');
      }
    }
    throw new AppError('slug_taken');
  }
}
