// The REST side of collaboration: who is present in a design system, which components are locked,
// and breaking a lock (admins).
import type { Actor } from '../actor.ts';
import type { DesignSystemService } from '../design-systems/design-systems.service.ts';
import { eventActor } from '../events/actor.ts';
import type { EventBus } from '../events/bus.ts';
import { authorize } from '../policy.ts';
import { notFound } from '../../utils/errors.ts';
import type { LockService } from './locks.service.ts';
import type { PresenceService } from './presence.service.ts';

/** Presence and locks for REST clients. */
export class CollaborationService {
  private readonly designSystems: DesignSystemService;
  private readonly presence: PresenceService;
  private readonly locks: LockService;
  private readonly events: EventBus;

  constructor(designSystems: DesignSystemService, presence: PresenceService, locks: LockService, events: EventBus) {
    this.designSystems = designSystems;
    this.presence = presence;
    this.locks = locks;
    this.events = events;
  }

  /** Everyone present in a design system, with its locks. */
  async presenceOf(actor: Actor, dsId: string) {
    await this.designSystems.require(actor, dsId, 'designSystem:read');
    const [users, locks] = await Promise.all([this.presence.list(dsId), this.locks.list(dsId)]);
    return { users, locks };
  }

  /** Breaks a component lock held by anyone (admins). */
  async breakLock(actor: Actor, dsId: string, componentId: string): Promise<void> {
    const ds = await this.designSystems.require(actor, dsId, 'designSystem:read');
    authorize(actor, 'lock:break', ds);
    const holder = await this.locks.holder(componentId);
    if (!holder || holder.designSystemId !== dsId) throw notFound('The component is not locked');
    await this.locks.breakLock(componentId);
    this.events.publish('component.unlocked', { teamId: ds.teamId, designSystemId: dsId, componentId, formerHolder: holder.userId }, eventActor(actor));
  }
}
