// The signed-in user's own view: profile plus teams and roles.
import type { Db, Team, TeamRole, User } from '../../models/db.ts';
import { notFound } from '../../utils/errors.ts';
import type { Actor, UserActor } from '../actor.ts';

/** Reads about users. */
export class UserService {
  private readonly db: Db;

  constructor(db: Db) {
    this.db = db;
  }

  /** How an actor appears to others (presence, locks): a user's name, or an API key's. */
  async profile(actor: Actor): Promise<{ id: string; name: string; avatarUrl: string | null }> {
    if (actor.kind === 'apiKey') {
      const key = await this.db.apiKey.findUnique({ where: { id: actor.apiKeyId }, select: { name: true } });
      return { id: actor.apiKeyId, name: key ? `${key.name} (API key)` : 'API key', avatarUrl: null };
    }
    const user = await this.db.user.findUnique({
      where: { id: actor.userId },
      select: { id: true, name: true, avatarUrl: true },
    });
    if (!user) throw notFound();
    return user;
  }

  /** The acting user and every team they belong to. */
  async me(actor: UserActor): Promise<{ user: User; teams: (Team & { role: TeamRole })[] }> {
    const user = await this.db.user.findUnique({
      where: { id: actor.userId },
      include: { memberships: { include: { team: true }, orderBy: { joinedAt: 'asc' } } },
    });
    if (!user) throw notFound();
    const { memberships, ...rest } = user;
    return { user: rest, teams: memberships.map((m) => ({ ...m.team, role: m.role })) };
  }
}
