// The design-system row behind the access check nearly every route makes, read with raw SQL: a
// Prisma ORM read of it costs about twice the client CPU of the same raw read (measured here:
// ≈ 200 against ≈ 100 µs per query), and a request pays it unless the row is cached (`DesignSystemRows`).
import { bindCache, type CacheInvalidation } from '../../models/cache-invalidation.ts';
import type { Db, DesignSystem } from '../../models/db.ts';
import { TtlCache } from '../../utils/ttl-cache.ts';

/** A `design_systems` row as PostgreSQL returns it (`SELECT *`). */
interface DesignSystemColumns {
  id: string;
  team_id: string;
  name: string;
  description: string | null;
  version: string;
  published: boolean;
  tokens_snapshot: Uint8Array | null;
  created_by: string | null;
  created_at: Date;
  updated_at: Date;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The row as Prisma would give it. A column added to the model is a type error here; the test in
 * tests/integration/services/design-systems/design-system-rows.test.ts compares the two readings.
 */
export function designSystemOf(r: DesignSystemColumns): DesignSystem {
  return {
    id: r.id,
    teamId: r.team_id,
    name: r.name,
    description: r.description,
    version: r.version,
    published: r.published,
    tokensSnapshot: r.tokens_snapshot === null ? null : new Uint8Array(r.tokens_snapshot),
    createdById: r.created_by,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

/** The design system `id`, or null. */
export async function findDesignSystem(db: Db, id: string): Promise<DesignSystem | null> {
  // A malformed id gets the ORM's answer, as before.
  if (!UUID.test(id)) return db.designSystem.findUnique({ where: { id } });
  const rows = await db.$queryRaw<DesignSystemColumns[]>`SELECT * FROM design_systems WHERE id = ${id}::uuid`;
  const row = rows[0];
  return row ? designSystemOf(row) : null;
}

/**
 * The access check's rows, cached per node for a moment (SESSION_CACHE_MS) and grouped by team:
 * a rename, delete or publish of one of a team's design systems, or the team's deletion, drops the
 * team's entries on every node (src/models/cache-invalidation.ts, kind `designSystem`, key team id).
 * Missing rows are never cached (one created on another node is found at once). `tokensSnapshot`
 * is written by token materialisation without an invalidation: read it under the row lock, as
 * token-rows.ts does, never from here.
 */
export class DesignSystemRows {
  private readonly db: Db;
  private readonly invalidation: CacheInvalidation;
  private readonly cache: TtlCache<DesignSystem>;

  constructor(db: Db, invalidation: CacheInvalidation, ttlMs: number, maxEntries = 10_000) {
    this.db = db;
    this.invalidation = invalidation;
    this.cache = new TtlCache({ ttlMs, maxEntries });
    bindCache(invalidation, 'designSystem', this.cache);
  }

  /** The design system `id`, or null; a copy, so a caller's changes stay its own. */
  async find(id: string): Promise<DesignSystem | null> {
    const listening = this.invalidation.listening();
    const hit = listening ? this.cache.get(id) : undefined;
    if (hit) return { ...hit };
    const since = this.cache.begin();
    const ds = await findDesignSystem(this.db, id);
    if (ds && listening) this.cache.set(id, { ...ds }, { group: ds.teamId, since });
    return ds;
  }

  /** Call once a change to one of the team's design systems is committed, before it is announced. */
  forgetTeam(teamId: string): Promise<void> {
    return this.invalidation.invalidate('designSystem', teamId);
  }
}
