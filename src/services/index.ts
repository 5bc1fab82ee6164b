// Builds every domain service from the infrastructure. Called once by the composition root.
import type { Logger } from 'pino';
import type { Config } from '../config/config.ts';
import { memoryCounters, redisCounters } from '../models/counters.ts';
import type { Db } from '../models/db.ts';
import type { Redis } from '../models/redis.ts';
import { ApiKeyService } from './api-keys/api-keys.service.ts';
import { AuthService } from './auth/auth.service.ts';
import { Authenticator } from './auth/authenticate.ts';
import { GithubSignIn } from './auth/github.service.ts';
import { AccessTokens } from './auth/jwt.ts';
import { createPasswordHasher } from './auth/passwords.ts';
import { EventBus } from './events/bus.ts';
import { RateLimiter } from './rate-limit.service.ts';
import { MemberService } from './teams/members.service.ts';
import { TeamService } from './teams/teams.service.ts';
import { UserService } from './users/users.service.ts';

export interface ServiceDeps {
  config: Config;
  db: Db;
  redis: Redis | null;
  logger: Logger;
  jwtSecret: string;
}

/** Builds the services; nothing here knows about HTTP or sockets. */
export function createServices({ config, db, redis, logger, jwtSecret }: ServiceDeps) {
  const events = new EventBus((err, event) => logger.error({ err, event: event.name }, 'event handler failed'));
  const limiter = new RateLimiter(redis ? redisCounters(redis) : memoryCounters());
  const tokens = new AccessTokens({
    secret: jwtSecret,
    issuer: config.JWT_ISSUER,
    audience: config.JWT_AUDIENCE,
    ttlSeconds: config.ACCESS_TOKEN_TTL_SECONDS,
  });
  const auth = new AuthService(db, createPasswordHasher(config.PASSWORD_HASH_MEMORY_KIB), tokens, limiter, {
    refreshTtlDays: config.REFRESH_TOKEN_TTL_DAYS,
    reuseGraceSeconds: config.REFRESH_REUSE_GRACE_SECONDS,
    loginLimitPerIp: config.LOGIN_LIMIT_PER_IP,
    loginLimitPerEmail: config.LOGIN_LIMIT_PER_EMAIL,
    loginWindowSeconds: config.LOGIN_LIMIT_WINDOW_SECONDS,
  });
  const apiKeys = new ApiKeyService(db);
  return {
    settings: { accessTokenTtlSeconds: config.ACCESS_TOKEN_TTL_SECONDS },
    events,
    limiter,
    auth,
    apiKeys,
    authenticator: new Authenticator(db, tokens, auth, apiKeys),
    github: new GithubSignIn(db),
    users: new UserService(db),
    teams: new TeamService(db, events),
    members: new MemberService(db, events),
  };
}

export type Services = ReturnType<typeof createServices>;
