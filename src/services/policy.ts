// The one policy module: `can(actor, action, resource)` answers for REST, sockets, y-websocket and workers.
// A resource of a team the actor does not belong to is reported as missing, never as forbidden.
import { AppError, notFound } from '../utils/errors.ts';
import type { Actor, ApiKeyScope, Role } from './actor.ts';

const RANK: Record<Role, number> = { viewer: 1, editor: 2, admin: 3, owner: 4 };

/** The least team role each action needs. */
const RULES = {
  'team:read': 'viewer',
  'team:update': 'admin',
  'team:delete': 'owner',
  'member:read': 'viewer',
  'member:manage': 'admin',
  /** Granting, changing or removing ownership. */
  'member:manageOwners': 'owner',
  /** Granting, changing or removing the admin role (people only: a key never makes an admin). */
  'member:manageAdmins': 'admin',
  'apiKey:read': 'admin',
  'apiKey:manage': 'admin',
  'activity:read': 'viewer',
  'designSystem:read': 'viewer',
  'designSystem:write': 'editor',
  'designSystem:delete': 'admin',
  'designSystem:publish': 'admin',
  /** Branches and merge requests (docs/branches.md): editors branch, review and merge. */
  'branch:write': 'editor',
  /** Deleting someone else's branch (its author, an editor, may delete their own). */
  'branch:delete': 'admin',
  'mergeRequest:approve': 'editor',
  /** Writing main directly while the team protects it. */
  'main:writeProtected': 'admin',
  'branchSettings:manage': 'admin',
  'comment:write': 'viewer',
  'comment:resolve': 'editor',
  'comment:moderate': 'admin',
  'lock:break': 'admin',
  'webhook:manage': 'admin',
} as const satisfies Record<string, Role>;

export type Action = keyof typeof RULES;

/** Anything owned by a team. */
export interface TeamResource {
  teamId: string;
}

/**
 * Actions an API key may never take whatever its scopes: keys must not mint keys, own teams, or
 * grant a role above editor (an admin they made could mint admin keys).
 */
const USER_ONLY: ReadonlySet<Action> = new Set([
  'apiKey:manage',
  'apiKey:read',
  'team:delete',
  'webhook:manage',
  'member:manageAdmins',
  'member:manageOwners',
]);

/** The role an API key's scopes grant inside its team. */
export function roleForScopes(scopes: readonly ApiKeyScope[]): Role {
  if (scopes.includes('admin')) return 'admin';
  if (scopes.includes('write')) return 'editor';
  return 'viewer';
}

/** The actor's role in a team, or null when they are not in it. */
export function roleIn(actor: Actor, teamId: string): Role | null {
  return actor.roles.get(teamId) ?? null;
}

/** True when `role` is at least `needed`. */
export function atLeast(role: Role, needed: Role): boolean {
  return RANK[role] >= RANK[needed];
}

/** Whether the actor may take the action on the resource. */
export function can(actor: Actor, action: Action, resource: TeamResource): boolean {
  const role = roleIn(actor, resource.teamId);
  if (!role) return false;
  if (actor.kind === 'apiKey' && USER_ONLY.has(action)) return false;
  return atLeast(role, RULES[action]);
}

/** Throws unless `can` allows: 404 when the actor is outside the team, 403 when inside but too weak. */
export function authorize(actor: Actor, action: Action, resource: TeamResource, message?: string): void {
  if (can(actor, action, resource)) return;
  if (!roleIn(actor, resource.teamId)) throw notFound();
  if (actor.kind === 'apiKey') {
    throw new AppError(USER_ONLY.has(action) ? 'user_required' : 'insufficient_scope', message);
  }
  throw new AppError('forbidden', message);
}

/** Throws `user_required` for API keys; narrows the actor to a user. */
export function requireUser(actor: Actor): asserts actor is Extract<Actor, { kind: 'user' }> {
  if (actor.kind !== 'user') throw new AppError('user_required');
}
