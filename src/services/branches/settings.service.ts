// A team's merge rules: how many approvals a merge request needs, and whether main is protected
// (only admins write it directly, over REST and live; everyone else changes a branch and merges).
// Write guards read them on every live update, so they are cached briefly; a change made on this
// node applies here at once, on other nodes within the cache's life.
import type { Db } from '../../models/db.ts';
import { AppError } from '../../utils/errors.ts';
import type { Actor } from '../actor.ts';
import { authorize, can, type TeamResource } from '../policy.ts';

export interface BranchSettingsView {
  teamId: string;
  requiredApprovals: number;
  protectMain: boolean;
}

const CACHE_MS = 2000;

/** Team merge settings. */
export class BranchSettingsService {
  private readonly db: Db;
  private readonly cache = new Map<string, { value: BranchSettingsView; at: number }>();

  constructor(db: Db) {
    this.db = db;
  }

  /** The team's settings (defaults when never set). */
  async get(actor: Actor, teamId: string): Promise<BranchSettingsView> {
    authorize(actor, 'team:read', { teamId });
    return this.read(teamId);
  }

  /** Changes the team's settings (admins). */
  async update(
    actor: Actor,
    teamId: string,
    input: Partial<Omit<BranchSettingsView, 'teamId'>>,
  ): Promise<BranchSettingsView> {
    authorize(actor, 'branchSettings:manage', { teamId });
    const row = await this.db.branchSettings.upsert({ where: { teamId }, create: { teamId, ...input }, update: input });
    const value = { teamId, requiredApprovals: row.requiredApprovals, protectMain: row.protectMain };
    this.cache.set(teamId, { value, at: Date.now() });
    return value;
  }

  /** The settings without an access check (guards, merges), briefly cached. */
  async read(teamId: string): Promise<BranchSettingsView> {
    const hit = this.cache.get(teamId);
    if (hit && Date.now() - hit.at < CACHE_MS) return hit.value;
    const row = await this.db.branchSettings.findUnique({ where: { teamId } });
    const value = { teamId, requiredApprovals: row?.requiredApprovals ?? 0, protectMain: row?.protectMain ?? false };
    this.cache.set(teamId, { value, at: Date.now() });
    return value;
  }

  /** Refuses a direct write of main by a non-admin while the team protects main. */
  async assertMainWritable(actor: Actor, resource: TeamResource): Promise<void> {
    if (can(actor, 'main:writeProtected', resource)) return;
    if ((await this.read(resource.teamId)).protectMain) throw new AppError('main_protected');
  }
}
