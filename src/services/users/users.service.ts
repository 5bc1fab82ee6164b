// The signed-in user's own view: profile plus teams and roles.
import type { Db, Team, TeamRole, User } from '../../models/db.ts';
import { notFound } from '../../utils/errors.ts';
import type { UserActor } from '../actor.ts';

/** Reads about users. */
export class UserService {
  private readonly db: Db;

  constructor(db: Db) {
    this.db = db;
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
