// Component edit locks as leases: taken with SET NX PX, renewed by the holder's heartbeat, released
// on edit end, disconnect or expiry. Admins may break one. While held, other users' writes to the
// component are refused (`locked`, naming the holder). Each node remembers the locks its connections
// took, so that when Redis comes back without its data it can put them back.
import type { RealtimeStore } from '../../models/realtime/realtime-store.ts';
import { AppError } from '../../utils/errors.ts';
import type { Actor } from '../actor.ts';
import { authorId } from '../actor.ts';

export interface LockHolder {
  componentId: string;
  designSystemId: string;
  userId: string;
  userName: string;
  connectionId: string;
  since: string;
}

/** The `locked` error, naming who holds the component. */
export const lockedError = (holder: LockHolder): AppError =>
  new AppError('locked', `${holder.userName} is editing this component`, {
    componentId: holder.componentId,
    userId: holder.userId,
    userName: holder.userName,
    since: holder.since,
  });

const lockKey = (componentId: string) => `lk:${componentId}`;
const indexKey = (dsId: string) => `lk:ds:${dsId}`;

/** What became of a lock this node's connection held, at its renewal. */
export type Kept =
  | { kept: true; restored: boolean }
  /** Lost: expired, broken, or taken by an older claim after Redis lost its data; `holder` has it now. */
  | { kept: false; holder: LockHolder | null };

/** The older of two claims wins a lock both hold after Redis lost its data (then the lower connection id). */
const older = (a: LockHolder, b: LockHolder): boolean =>
  a.since < b.since || (a.since === b.since && a.connectionId < b.connectionId);

/** Lease-based component locks. */
export class LockService {
  private readonly store: RealtimeStore;
  readonly ttlMs: number;
  /** Locks this node's connections took, to put back when Redis lost them, with the store's reset count when last confirmed. */
  private readonly mine = new Map<string, LockHolder & { confirmedIn: number }>();

  constructor(store: RealtimeStore, ttlMs: number) {
    this.store = store;
    this.ttlMs = ttlMs;
  }

  /** Takes the lock, or returns who holds it. The same user may take it again from another tab. */
  async acquire(holder: Omit<LockHolder, 'since'>): Promise<{ acquired: boolean; holder: LockHolder }> {
    const mine: LockHolder = { ...holder, since: new Date().toISOString() };
    const current = JSON.parse(
      await this.store.acquire(lockKey(holder.componentId), JSON.stringify(mine), this.ttlMs),
    ) as LockHolder;
    const acquired = current.connectionId === holder.connectionId || current.userId === holder.userId;
    if (acquired) await this.store.zadd(indexKey(holder.designSystemId), holder.componentId, Date.now() + this.ttlMs);
    if (current.connectionId === holder.connectionId)
      this.mine.set(holder.componentId, { ...current, confirmedIn: this.store.resets });
    return { acquired, holder: current };
  }

  /**
   * Renews a lock the connection holds. One that is gone because Redis lost its data (seen now or
   * earlier, or `restore`) is put back, and one another connection took meanwhile goes to the older
   * claim; one that is gone otherwise (expired, released, broken) is lost.
   */
  async keep(componentId: string, connectionId: string, restore = false): Promise<Kept> {
    const mine = this.mine.get(componentId);
    const current = await this.holder(componentId);
    if (current?.connectionId === connectionId) {
      if (await this.store.renew(lockKey(componentId), JSON.stringify(current), this.ttlMs)) {
        await this.store.zadd(indexKey(current.designSystemId), componentId, Date.now() + this.ttlMs);
        if (mine) mine.confirmedIn = this.store.resets;
        return { kept: true, restored: false };
      }
      return this.lost(componentId, connectionId, await this.holder(componentId));
    }
    if (!mine || mine.connectionId !== connectionId) return this.lost(componentId, connectionId, current);
    const reset = restore || (await this.store.checkReset()) > mine.confirmedIn;
    if (!reset) return this.lost(componentId, connectionId, current);
    const { confirmedIn: _, ...claim } = mine;
    const json = JSON.stringify(claim);
    const key = lockKey(componentId);
    const taken = current
      ? older(claim, current) && (await this.store.replace(key, JSON.stringify(current), json, this.ttlMs))
      : (await this.store.acquire(key, json, this.ttlMs)) === json;
    if (!taken) return this.lost(componentId, connectionId, await this.holder(componentId));
    mine.confirmedIn = this.store.resets;
    await this.store.zadd(indexKey(mine.designSystemId), componentId, Date.now() + this.ttlMs);
    return { kept: true, restored: true };
  }

  private lost(componentId: string, connectionId: string, holder: LockHolder | null): Kept {
    if (this.mine.get(componentId)?.connectionId === connectionId) this.mine.delete(componentId);
    return { kept: false, holder };
  }

  /** Releases a lock the user holds (from any of their connections). */
  async release(componentId: string, userId: string): Promise<boolean> {
    const current = await this.holder(componentId);
    if (!current || current.userId !== userId) return false;
    const released = await this.store.release(lockKey(componentId), JSON.stringify(current));
    if (released) await this.store.zrem(indexKey(current.designSystemId), componentId);
    this.mine.delete(componentId);
    return released;
  }

  /** Releases whoever holds the lock (admins; the caller checks the policy). */
  async breakLock(componentId: string): Promise<LockHolder | null> {
    const raw = await this.store.breakLease(lockKey(componentId));
    if (!raw) return null;
    const holder = JSON.parse(raw) as LockHolder;
    await this.store.zrem(indexKey(holder.designSystemId), componentId);
    this.mine.delete(componentId);
    return holder;
  }

  /** The current holder, if any. */
  async holder(componentId: string): Promise<LockHolder | null> {
    const raw = await this.store.holder(lockKey(componentId));
    return raw ? (JSON.parse(raw) as LockHolder) : null;
  }

  /** Every lock held in a design system. */
  async list(dsId: string): Promise<LockHolder[]> {
    const ids = await this.store.zlive(indexKey(dsId));
    const holders = await Promise.all(ids.map((id) => this.holder(id)));
    return holders.filter((h): h is LockHolder => h !== null);
  }

  /** Refuses a write to a component someone else has locked (the write guard). */
  async assertWritable(actor: Actor, componentId: string): Promise<void> {
    const holder = await this.holder(componentId);
    if (holder && holder.userId !== authorId(actor)) {
      throw lockedError(holder);
    }
  }
}
