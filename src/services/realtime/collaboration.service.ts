// Collaboration state shared by REST and sockets: who is present in a design system, component
// locks (taken, released, broken by admins). Every lock change is published once on the event bus,
// which is where the room hears of it.
import type { Actor } from '../actor.ts';
import type { DesignSystemService } from '../design-systems/design-systems.service.ts';
import { eventActor } from '../events/actor.ts';
import type { EventBus } from '../events/bus.ts';
import { authorize } from '../policy.ts';
import { notFound } from '../../utils/errors.ts';
import { lockedError, type LockService } from './locks.service.ts';
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

  /** Breaks a component lock held by anyone (admins); `not_found` when it is not locked. */
  async breakLock(actor: Actor, dsId: string, componentId: string): Promise<void> {
    const ds = await this.designSystems.require(actor, dsId, 'designSystem:read');
    authorize(actor, 'lock:break', ds);
    const holder = await this.locks.holder(componentId);
    if (!holder || holder.designSystemId !== dsId) throw notFound('The component is not locked');
    const former = await this.locks.breakLock(componentId);
    if (former)
      this.events.publish(
        'component.unlocked',
        { teamId: ds.teamId, designSystemId: dsId, componentId, formerHolder: former.userId },
        eventActor(actor),
      );
  }

  /** Takes a component's lock for a connection; throws `locked` naming the holder. */
  async lock(
    actor: Actor,
    holder: {
      componentId: string;
      designSystemId: string;
      teamId: string;
      userId: string;
      userName: string;
      connectionId: string;
    },
  ): Promise<void> {
    authorize(actor, 'designSystem:write', { teamId: holder.teamId });
    const { teamId, ...lease } = holder;
    const { acquired, holder: current } = await this.locks.acquire(lease);
    if (!acquired) throw lockedError(current);
    this.events.publish(
      'component.locked',
      {
        teamId,
        designSystemId: holder.designSystemId,
        componentId: holder.componentId,
        userId: holder.userId,
        userName: holder.userName,
      },
      eventActor(actor),
    );
  }

  /**
   * Renews a lock a connection of this node holds (`restore`: Redis lost its data, put it back).
   * A lock put back is announced again; a lost one is announced as unlocked (`reason: 'lost'`), or
   * as locked by whoever holds it now. Returns whether the connection still holds it.
   */
  async keepLock(
    actor: Actor,
    lock: {
      componentId: string;
      designSystemId: string;
      teamId: string;
      userId: string;
      userName: string;
      connectionId: string;
    },
    restore = false,
  ): Promise<boolean> {
    const { componentId, designSystemId, teamId } = lock;
    const kept = await this.locks.keep(componentId, lock.connectionId, restore);
    if (kept.kept) {
      if (kept.restored)
        this.events.publish(
          'component.locked',
          { teamId, designSystemId, componentId, userId: lock.userId, userName: lock.userName },
          eventActor(actor),
        );
      return true;
    }
    if (kept.holder) {
      const { userId, userName } = kept.holder;
      this.events.publish(
        'component.locked',
        { teamId, designSystemId, componentId, userId, userName },
        eventActor(actor),
      );
    } else {
      this.events.publish(
        'component.released',
        { teamId, designSystemId, componentId, formerHolder: lock.userId, reason: 'lost' },
        eventActor(actor),
      );
    }
    return false;
  }

  /**
   * Releases a lock its user holds (`connectionId`: only if that connection took it, as on
   * disconnect); returns whether it was released.
   */
  async release(
    actor: Actor,
    lock: { componentId: string; designSystemId: string; teamId: string; userId: string; connectionId?: string },
  ): Promise<boolean> {
    if (
      lock.connectionId !== undefined &&
      (await this.locks.holder(lock.componentId))?.connectionId !== lock.connectionId
    )
      return false;
    if (!(await this.locks.release(lock.componentId, lock.userId))) return false;
    this.events.publish(
      'component.released',
      { teamId: lock.teamId, designSystemId: lock.designSystemId, componentId: lock.componentId },
      eventActor(actor),
    );
    return true;
  }
}
