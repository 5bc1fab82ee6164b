// Team API keys for automation: `ens_<prefix>_<secret>`, the secret shown once and stored as a digest.
import type { ApiKey, Db } from '../../models/db.ts';
import { randomToken, safeEqual, sha256 } from '../../utils/crypto.ts';
import { AppError, notFound } from '../../utils/errors.ts';
import type { Actor, ApiKeyScope } from '../actor.ts';
import { eventActor } from '../events/actor.ts';
import type { EventBus } from '../events/bus.ts';
import { authorize, requireUser } from '../policy.ts';

const KEY_PATTERN = /^ens_([A-Za-z0-9]{12})_([A-Za-z0-9_-]{43})$/;

/** Creates, lists, revokes and verifies API keys. */
export class ApiKeyService {
  private readonly db: Db;
  private readonly events: EventBus;

  constructor(db: Db, events: EventBus) {
    this.db = db;
    this.events = events;
  }

  /** Creates a key; the returned secret is never retrievable again. */
  async create(
    actor: Actor,
    teamId: string,
    input: { name: string; scopes: ApiKeyScope[]; expiresAt?: Date | undefined },
  ) {
    authorize(actor, 'apiKey:manage', { teamId });
    requireUser(actor);
    const prefix = randomToken(12)
      .replace(/[^A-Za-z0-9]/g, '')
      .padEnd(12, '0')
      .slice(0, 12);
    const secret = randomToken(32);
    const apiKey = await this.db.apiKey.create({
      data: {
        teamId,
        name: input.name,
        prefix,
        secretHash: sha256(secret),
        scopes: [...new Set(input.scopes)],
        createdById: actor.userId,
        expiresAt: input.expiresAt ?? null,
      },
    });
    this.events.publish('apiKey.created', { teamId, apiKeyId: apiKey.id, scopes: apiKey.scopes }, eventActor(actor));
    return { apiKey, secret: `ens_${prefix}_${secret}` };
  }

  /** Lists a team's keys, newest first, revoked ones included. */
  async list(actor: Actor, teamId: string): Promise<ApiKey[]> {
    authorize(actor, 'apiKey:read', { teamId });
    return this.db.apiKey.findMany({ where: { teamId }, orderBy: { createdAt: 'desc' } });
  }

  /** Revokes a key; it stops working on the next request. */
  async revoke(actor: Actor, teamId: string, keyId: string): Promise<ApiKey> {
    authorize(actor, 'apiKey:manage', { teamId });
    const key = await this.db.apiKey.findFirst({ where: { id: keyId, teamId } });
    if (!key) throw notFound();
    if (key.revokedAt) return key;
    const revoked = await this.db.apiKey.update({ where: { id: key.id }, data: { revokedAt: new Date() } });
    this.events.publish('apiKey.revoked', { teamId, apiKeyId: key.id }, eventActor(actor));
    return revoked;
  }

  /** The live key for a presented secret, or `invalid_token`. */
  async verify(presented: string): Promise<ApiKey> {
    const match = KEY_PATTERN.exec(presented);
    if (!match) throw new AppError('invalid_token');
    const key = await this.db.apiKey.findUnique({ where: { prefix: match[1] } });
    const now = new Date();
    if (
      !key ||
      key.revokedAt ||
      (key.expiresAt && key.expiresAt <= now) ||
      !safeEqual(key.secretHash, sha256(match[2] ?? ''))
    ) {
      throw new AppError('invalid_token');
    }
    // Recording use is best-effort and at most once a minute per key.
    if (!key.lastUsedAt || now.getTime() - key.lastUsedAt.getTime() > 60_000) {
      void this.db.apiKey.update({ where: { id: key.id }, data: { lastUsedAt: now } }).catch(() => undefined);
    }
    return key;
  }
}
