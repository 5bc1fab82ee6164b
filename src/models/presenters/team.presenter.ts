// Row → API JSON for teams and their members.
import type { Team, TeamMember, User } from '../db.ts';
import { presentUser, type UserJson } from './user.presenter.ts';

export interface TeamJson {
  id: string;
  name: string;
  slug: string;
  createdAt: string;
  updatedAt: string;
  role?: string;
}

/** A team, with the caller's role in it when known. */
export function presentTeam(team: Team, role?: string): TeamJson {
  return {
    id: team.id,
    name: team.name,
    slug: team.slug,
    createdAt: team.createdAt.toISOString(),
    updatedAt: team.updatedAt.toISOString(),
    ...(role ? { role } : {}),
  };
}

export interface MemberJson {
  userId: string;
  role: string;
  joinedAt: string;
  user: UserJson;
}

/** A membership with its user. */
export function presentMember(member: TeamMember & { user: User }): MemberJson {
  return {
    userId: member.userId,
    role: member.role,
    joinedAt: member.joinedAt.toISOString(),
    user: presentUser(member.user),
  };
}
