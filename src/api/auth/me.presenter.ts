// The body of GET /api/auth/me, for either credential. A user sees themself and their teams; an API
// key sees the user who created it (the author recorded for what it does), its one team at the
// role its scopes grant, and which key it is. `apiKey` is null for a user's access token.
import type { ApiKey, Team, TeamRole, User } from '../../models/db.ts';
import { presentTeam, type TeamJson } from '../../models/presenters/team.presenter.ts';
import { presentUser, type UserJson } from '../../models/presenters/user.presenter.ts';
import type { Role } from '../../services/actor.ts';

export interface ApiKeyIdentityJson {
  id: string;
  name: string;
  prefix: string;
  teamId: string;
  scopes: string[];
  /** The team role the scopes grant: read → viewer, write → editor, admin → admin. */
  role: Role;
  createdAt: string;
  expiresAt: string | null;
}

type Nullable<T> = { [K in keyof T]: T[K] | null };

export type MeJson = Nullable<UserJson> & { teams: TeamJson[]; apiKey: ApiKeyIdentityJson | null };

// The creator of a key may have deleted their account since; the key still works.
const NO_USER: Nullable<UserJson> = {
  id: null,
  email: null,
  name: null,
  handle: null,
  avatarUrl: null,
  createdAt: null,
};

/** A signed-in user's /me. */
export function presentUserMe(user: User, teams: (Team & { role: TeamRole })[]): MeJson {
  return { ...presentUser(user), teams: teams.map((t) => presentTeam(t, t.role)), apiKey: null };
}

/** An API key's /me. */
export function presentApiKeyMe(identity: { key: ApiKey; team: Team; creator: User | null }, role: Role): MeJson {
  const { key, team, creator } = identity;
  return {
    ...(creator ? presentUser(creator) : NO_USER),
    teams: [presentTeam(team, role)],
    apiKey: {
      id: key.id,
      name: key.name,
      prefix: key.prefix,
      teamId: key.teamId,
      scopes: key.scopes,
      role,
      createdAt: key.createdAt.toISOString(),
      expiresAt: key.expiresAt?.toISOString() ?? null,
    },
  };
}
