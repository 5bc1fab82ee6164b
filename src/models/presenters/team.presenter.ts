// Row → API JSON for teams and their members.
import type { Team, TeamInvitation, TeamMember, User } from '../db.ts';
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

export interface InvitationJson {
  id: string;
  team: { id: string; name: string };
  email: string;
  role: string;
  createdAt: string;
  expiresAt: string;
}

/** A pending invitation to a team. */
export function presentInvitation(invitation: TeamInvitation & { team: { id: string; name: string } }): InvitationJson {
  return {
    id: invitation.id,
    team: { id: invitation.team.id, name: invitation.team.name },
    email: invitation.email,
    role: invitation.role,
    createdAt: invitation.createdAt.toISOString(),
    expiresAt: invitation.expiresAt.toISOString(),
  };
}
