// Sign-up, sign-in, refresh-token rotation with reuse detection, logout and one-time sign-in codes.
import { randomUUID } from 'node:crypto';
import type { EventBus } from '../events/bus.ts';
import type { Db, RefreshToken, User } from '../../models/db.ts';
import { randomToken, sha256 } from '../../utils/crypto.ts';
import { AppError } from '../../utils/errors.ts';
import type { Role } from '../actor.ts';
import type { RateLimiter } from '../rate-limit.service.ts';
import type { AccessTokens } from './jwt.ts';
import { uniqueHandle } from '../users/handles.ts';
import { checkPasswordRules, type PasswordHasher } from './passwords.ts';
import type { SessionCache, SessionState } from './session-cache.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface AuthSettings {
  refreshTtlDays: number;
  reuseGraceSeconds: number;
  loginLimitPerIp: number;
  loginLimitPerEmail: number;
  loginWindowSeconds: number;
}

export interface ClientInfo {
  ip: string;
  userAgent?: string | undefined;
}

export interface Session {
  user: User;
  accessToken: string;
  refreshToken: string;
}

const CODE_TTL_MS = 60_000;

/** Normalises an email for storage and lookup. */
export const normaliseEmail = (email: string): string => email.trim().toLowerCase();

/** Accounts and sessions. Transport-free: routers and the OAuth adapter call it. */
export class AuthService {
  // A hash of nothing anyone knows, verified for unknown emails so timing does not reveal accounts.
  private dummyHash: Promise<string> | undefined;

  private readonly db: Db;
  private readonly hasher: PasswordHasher;
  private readonly tokens: AccessTokens;
  private readonly limiter: RateLimiter;
  private readonly settings: AuthSettings;
  private readonly events: EventBus;
  private readonly sessions: SessionCache;

  constructor(
    db: Db,
    hasher: PasswordHasher,
    tokens: AccessTokens,
    limiter: RateLimiter,
    settings: AuthSettings,
    events: EventBus,
    sessions: SessionCache,
  ) {
    this.events = events;
    this.sessions = sessions;
    this.db = db;
    this.hasher = hasher;
    this.tokens = tokens;
    this.limiter = limiter;
    this.settings = settings;
  }

  /** Creates an account and signs it in. */
  async register(input: { email: string; password: string; name: string }, client: ClientInfo): Promise<Session> {
    const email = normaliseEmail(input.email);
    checkPasswordRules(input.password, email);
    await this.limiter.consume({
      key: `register:ip:${client.ip}`,
      max: this.settings.loginLimitPerIp,
      windowSeconds: this.settings.loginWindowSeconds,
    });
    if (await this.db.user.findUnique({ where: { email } })) throw new AppError('email_taken');
    const passwordHash = await this.hasher.hash(input.password);
    const handle = await uniqueHandle(this.db, email.split('@')[0] ?? input.name);
    const user = await this.db.user
      .create({ data: { email, name: input.name.trim(), passwordHash, handle } })
      .catch((err: unknown) => {
        if ((err as { code?: string }).code === 'P2002') throw new AppError('email_taken');
        throw err;
      });
    return this.startSession(user, client);
  }

  /**
   * Checks the password and signs in. Limited per IP, and per account *from one IP*: guessing from
   * one place locks that place out, never the owner signing in from elsewhere. Guesses at one
   * account from many places are slowed instead: past the per-account limit each failure in the
   * window answers 250 ms later than the one before (at most 5 s).
   */
  async login(input: { email: string; password: string }, client: ClientInfo): Promise<Session> {
    const email = normaliseEmail(input.email);
    const { loginLimitPerIp, loginLimitPerEmail, loginWindowSeconds: windowSeconds } = this.settings;
    await this.limiter.consume(
      { key: `login:ip:${client.ip}`, max: loginLimitPerIp, windowSeconds },
      { key: `login:email-ip:${email}|${client.ip}`, max: loginLimitPerEmail, windowSeconds },
    );
    const user = await this.db.user.findUnique({ where: { email } });
    this.dummyHash ??= this.hasher.hash(randomToken());
    const ok = await this.hasher.verify(user?.passwordHash ?? (await this.dummyHash), input.password);
    if (!user?.passwordHash || !ok) {
      const failures = await this.limiter.hit(`login:failed:${email}`, windowSeconds);
      const delayMs = Math.min(5000, Math.max(0, failures - loginLimitPerEmail) * 250);
      if (delayMs) await new Promise((resolve) => setTimeout(resolve, delayMs));
      throw new AppError('invalid_credentials');
    }
    await this.limiter.reset(`login:email-ip:${email}|${client.ip}`);
    return this.startSession(user, client);
  }

  /** Starts a new session (refresh-token family) for a user already authenticated. */
  async startSession(user: User, client: ClientInfo): Promise<Session> {
    const familyId = randomUUID();
    const { token } = await this.issueRefreshToken(user.id, familyId, client);
    return { user, accessToken: this.tokens.sign({ sub: user.id, sid: familyId }), refreshToken: token };
  }

  /**
   * Rotates a refresh token. A token used a second time within the grace window (two tabs racing)
   * gets a sibling in the same family; used again later, the whole family is revoked.
   */
  async refresh(token: string, client: ClientInfo): Promise<Session> {
    const row = await this.db.refreshToken.findUnique({ where: { tokenHash: sha256(token) }, include: { user: true } });
    if (!row || row.revokedAt || row.expiresAt <= new Date()) throw new AppError('invalid_refresh_token');
    const claimed = await this.db.refreshToken.updateMany({
      where: { id: row.id, usedAt: null },
      data: { usedAt: new Date() },
    });
    if (claimed.count === 0) await this.checkRace(row);
    const next = await this.issueRefreshToken(row.userId, row.familyId, client);
    if (claimed.count === 1)
      await this.db.refreshToken.update({ where: { id: row.id }, data: { replacedBy: next.id } });
    return {
      user: row.user,
      accessToken: this.tokens.sign({ sub: row.userId, sid: row.familyId }),
      refreshToken: next.token,
    };
  }

  /** Revokes the session the refresh token belongs to. Unknown tokens are ignored (logout is idempotent). */
  async logout(token: string): Promise<void> {
    const row = await this.db.refreshToken.findUnique({ where: { tokenHash: sha256(token) } });
    if (row) await this.revokeFamily(row.familyId);
  }

  /** Revokes a session by id (the `sid` of its access tokens); its open connections are closed. */
  async revokeFamily(familyId: string): Promise<void> {
    const member = await this.db.refreshToken.findFirst({ where: { familyId }, select: { userId: true } });
    const revoked = await this.db.refreshToken.updateMany({
      where: { familyId, revokedAt: null },
      data: { revokedAt: new Date() },
    });
    if (!member || !revoked.count) return;
    // Every node's next request of this user reads the session afresh, before anyone hears it ended.
    await this.sessions.invalidate(member.userId);
    this.events.publish('session.revoked', { userId: member.userId, sessionId: familyId }, { userId: member.userId });
  }

  /**
   * A user's session and roles, in one round trip (every authenticated request and connection
   * recheck asks): `ended` when the session was revoked (logout, reuse) or is gone with its user —
   * its access tokens stop working at once rather than at their expiry — and the user's team roles.
   * Cached for SESSION_CACHE_MS (`session-cache.ts`: invalidated on every node by whatever changes
   * it); `fresh` reads the database (connection re-checks after a permission change).
   */
  async sessionState(userId: string, familyId: string, fresh = false): Promise<SessionState> {
    if (!UUID.test(userId) || !UUID.test(familyId)) return { ended: true, roles: new Map() };
    return this.sessions.state(userId, familyId, () => this.readSessionState(userId, familyId), fresh);
  }

  private async readSessionState(userId: string, familyId: string): Promise<SessionState> {
    const [row] = await this.db.$queryRaw<{ roles: { teamId: string; role: Role }[]; live: boolean }[]>`
      SELECT
        COALESCE(
          (SELECT json_agg(json_build_object('teamId', m.team_id, 'role', m.role))
             FROM team_members m WHERE m.user_id = ${userId}::uuid),
          '[]'::json) AS roles,
        EXISTS (SELECT 1 FROM refresh_tokens r WHERE r.family_id = ${familyId}::uuid)
          AND NOT EXISTS (SELECT 1 FROM refresh_tokens r WHERE r.family_id = ${familyId}::uuid AND r.revoked_at IS NOT NULL)
          AS live`;
    return {
      ended: !row?.live,
      roles: new Map((row?.roles ?? []).map((m) => [m.teamId, m.role])),
    };
  }

  /** Issues a one-time code for a user signed in by an identity provider. */
  async issueSignInCode(userId: string): Promise<string> {
    const code = randomToken(24);
    await this.db.authCode.create({
      data: { userId, codeHash: sha256(code), expiresAt: new Date(Date.now() + CODE_TTL_MS) },
    });
    return code;
  }

  /** Exchanges a one-time code for a session; a code works once, within a minute. */
  async exchangeSignInCode(code: string, client: ClientInfo): Promise<Session> {
    const row = await this.db.authCode.findUnique({ where: { codeHash: sha256(code) }, include: { user: true } });
    if (!row || row.expiresAt <= new Date()) throw new AppError('invalid_code');
    const claimed = await this.db.authCode.updateMany({
      where: { id: row.id, usedAt: null },
      data: { usedAt: new Date() },
    });
    if (claimed.count === 0) throw new AppError('invalid_code');
    return this.startSession(row.user, client);
  }

  private async checkRace(row: RefreshToken): Promise<void> {
    const fresh = await this.db.refreshToken.findUniqueOrThrow({ where: { id: row.id } });
    const usedMsAgo = Date.now() - (fresh.usedAt?.getTime() ?? 0);
    if (fresh.revokedAt || usedMsAgo > this.settings.reuseGraceSeconds * 1000) {
      await this.revokeFamily(row.familyId);
      throw new AppError('refresh_token_reused');
    }
  }

  private async issueRefreshToken(
    userId: string,
    familyId: string,
    client: ClientInfo,
  ): Promise<{ token: string; id: string }> {
    const token = `ert_${randomToken(32)}`;
    const row = await this.db.refreshToken.create({
      data: {
        userId,
        familyId,
        tokenHash: sha256(token),
        expiresAt: new Date(Date.now() + this.settings.refreshTtlDays * 86_400_000),
        userAgent: client.userAgent?.slice(0, 512) ?? null,
      },
      select: { id: true },
    });
    return { token, id: row.id };
  }
}
