// Who is acting: a signed-in user or a team API key, with the team roles resolved for this request.
import type { TeamRole } from '../models/db.ts';

export type Role = TeamRole;
export type ApiKeyScope = 'read' | 'write' | 'admin';

interface ActorBase {
  /** Team id → effective role. For an API key, only its own team, at the role its scopes grant. */
  roles: ReadonlyMap<string, Role>;
  requestId?: string;
}

export interface UserActor extends ActorBase {
  kind: 'user';
  userId: string;
}

export interface ApiKeyActor extends ActorBase {
  kind: 'apiKey';
  apiKeyId: string;
  teamId: string;
  scopes: readonly ApiKeyScope[];
  /** The user who created the key, recorded as the author of what the key does. */
  createdById: string | null;
}

export type Actor = UserActor | ApiKeyActor;

/** The user id to record as the author of a change (an API key's creator for keys). */
export function authorId(actor: Actor): string | null {
  return actor.kind === 'user' ? actor.userId : actor.createdById;
}
