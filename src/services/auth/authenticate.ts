// Turns a bearer credential (access JWT or API key) into an Actor with its team roles resolved.
// Used alike by the REST middleware, the Socket.IO handshake and the y-websocket endpoint.
import type { ApiKey, Db, Team, User } from '../../models/db.ts';
import { AppError } from '../../utils/errors.ts';
import type { Actor, ApiKeyActor, ApiKeyScope } from '../actor.ts';
import type { ApiKeyService } from '../api-keys/api-keys.service.ts';
import { roleForScopes } from '../policy.ts';
import type { AuthService } from './auth.service.ts';
import type { AccessTokens } from './jwt.ts';

/**
 * What an open connection signed in as: a user's session (checked again against the database, not
 * the token, whenever permissions change) or an API key. `expiresAt` is when the access token runs
 * out: the connection must present a fresh one before then.
 */
export type ConnectionSession =
  | { kind: 'user'; userId: string; sessionId: string; expiresAt: number }
  | { kind: 'apiKey'; apiKeyId: string; credential: string };

/** Resolves credentials into actors. */
export class Authenticator {
  private readonly db: Db;
  private readonly tokens: AccessTokens;
  private readonly auth: AuthService;
  private readonly apiKeys: ApiKeyService;

  constructor(db: Db, tokens: AccessTokens, auth: AuthService, apiKeys: ApiKeyService) {
    this.db = db;
    this.tokens = tokens;
    this.auth = auth;
    this.apiKeys = apiKeys;
  }

  /** The actor for a user, with their current roles (workers acting on a user's behalf). */
  async actorForUser(userId: string): Promise<Actor> {
    const memberships = await this.db.teamMember.findMany({ where: { userId }, select: { teamId: true, role: true } });
    return { kind: 'user', userId, roles: new Map(memberships.map((m) => [m.teamId, m.role])) };
  }

  /**
   * Who an API key is, for `GET /api/auth/me`: the key, its team, and the user who created it (the
   * author recorded for what the key does; null once that account was deleted).
   */
  async keyIdentity(actor: ApiKeyActor): Promise<{ key: ApiKey; team: Team; creator: User | null }> {
    const found = await this.db.apiKey.findUnique({
      where: { id: actor.apiKeyId },
      include: { team: true, createdBy: true },
    });
    // Revoked between authentication and this read: the credential is no longer valid.
    if (!found || found.revokedAt) throw new AppError('invalid_token');
    const { team, createdBy, ...key } = found;
    return { key, team, creator: createdBy };
  }

  /** The actor and the session of a connection's credential; throws `invalid_token` when it is not valid now. */
  async connect(credential: string): Promise<{ actor: Actor; session: ConnectionSession }> {
    const actor = await this.resolve(credential);
    if (actor.kind === 'apiKey') return { actor, session: { kind: 'apiKey', apiKeyId: actor.apiKeyId, credential } };
    const claims = this.tokens.verify(credential);
    return { actor, session: { kind: 'user', userId: claims.sub, sessionId: claims.sid, expiresAt: claims.expiresAt } };
  }

  /** The actor of an open connection now: its session must still stand (or its key still be valid); roles are read afresh. */
  async recheck(session: ConnectionSession): Promise<Actor> {
    if (session.kind === 'apiKey') return this.resolve(session.credential);
    // Fresh, not cached: a re-check follows a permission change another node may not have announced yet.
    const { ended, roles } = await this.auth.sessionState(session.userId, session.sessionId, true);
    if (ended) throw new AppError('invalid_token', 'The session has ended');
    return { kind: 'user', userId: session.userId, roles };
  }

  /** The actor for a bearer credential; throws `invalid_token` when it is not valid now. */
  async resolve(credential: string, requestId?: string): Promise<Actor> {
    if (credential.startsWith('ens_')) {
      const key = await this.apiKeys.verify(credential);
      const scopes = key.scopes as ApiKeyScope[];
      return {
        kind: 'apiKey',
        apiKeyId: key.id,
        teamId: key.teamId,
        scopes,
        createdById: key.createdById,
        roles: new Map([[key.teamId, roleForScopes(scopes)]]),
        ...(requestId ? { requestId } : {}),
      };
    }
    const claims = this.tokens.verify(credential);
    const { ended, roles } = await this.auth.sessionState(claims.sub, claims.sid);
    if (ended) throw new AppError('invalid_token');
    return { kind: 'user', userId: claims.sub, roles, ...(requestId ? { requestId } : {}) };
  }
}
