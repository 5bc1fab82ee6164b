// A joined design system: presence (one entry per user), cursors, selections, typing and locks,
// kept current from the room's events. Cursor moves are coalesced to one per tick client-side.
import type { EnsembleClient } from './client.ts';
import { Emitter } from './emitter.ts';
import type { Cursor, JoinState, Lock, PresenceEntry, PresenceStatus, RoomEvents, TypingResource } from './types.ts';

/** Client-side cursor tick: the server coalesces to 50 ms anyway. */
const CURSOR_TICK_MS = 50;

export class DesignSystemRoom extends Emitter<RoomEvents> {
  readonly id: string;
  /** Everyone present, by user id. */
  readonly presence = new Map<string, PresenceEntry>();
  /** Held locks, by component id. */
  readonly locks = new Map<string, Lock>();
  /** Who is typing, by resource id. */
  readonly typing = new Map<string, string[]>();
  private readonly client: EnsembleClient;
  private pendingCursor: Cursor | null = null;
  private cursorTimer: ReturnType<typeof setTimeout> | null = null;
  private left = false;

  constructor(client: EnsembleClient, id: string) {
    super();
    this.client = client;
    this.id = id;
  }

  /** Joins (or re-joins after a reconnect) and replaces the local state with the server's. */
  async join(): Promise<void> {
    const state = await this.client.request<JoinState>('join-design-system', { designSystemId: this.id });
    this.setPresence(state.presence);
    this.locks.clear();
    for (const lock of state.locks) this.locks.set(lock.componentId, lock);
    this.typing.clear();
    for (const t of state.typing) this.typing.set(t.resourceId, t.users);
  }

  async leave(): Promise<void> {
    this.left = true;
    if (this.cursorTimer) clearTimeout(this.cursorTimer);
    await this.client.request('leave-design-system', { designSystemId: this.id });
    this.client.forgetRoom(this.id);
  }

  setStatus(status: PresenceStatus): Promise<void> {
    return this.client.request('user-status', { status, designSystemId: this.id });
  }

  /** Sends at most one cursor position per tick; the latest always goes out. */
  moveCursor(cursor: Cursor): void {
    this.pendingCursor = cursor;
    if (this.cursorTimer || this.left) return;
    this.cursorTimer = setTimeout(() => {
      this.cursorTimer = null;
      const latest = this.pendingCursor;
      this.pendingCursor = null;
      if (latest) this.client.request('cursor-move', { ...latest, designSystemId: this.id }).catch((err: unknown) => this.client.report(err));
    }, CURSOR_TICK_MS);
  }

  select(selection: unknown, componentId?: string): Promise<void> {
    return this.client.request('selection-change', { selection, ...(componentId ? { componentId } : {}), designSystemId: this.id });
  }

  startTyping(resourceId: string, resourceType: TypingResource): Promise<void> {
    return this.client.request('typing-start', { resourceId, resourceType, designSystemId: this.id });
  }

  stopTyping(resourceId: string, resourceType: TypingResource): Promise<void> {
    return this.client.request('typing-stop', { resourceId, resourceType, designSystemId: this.id });
  }

  /** Takes the component's lock (renewed while connected); rejects with `locked` naming the holder. */
  lock(componentId: string): Promise<{ componentId: string; expiresInMs: number }> {
    return this.client.request('component-edit-start', { componentId });
  }

  unlock(componentId: string): Promise<void> {
    return this.client.request('component-edit-end', { componentId });
  }

  /** Admins only. */
  breakLock(componentId: string): Promise<{ broken: boolean }> {
    return this.client.request('component-lock-break', { componentId });
  }

  /** Called by the client with this room's events. */
  handle(event: string, payload: Record<string, unknown>): void {
    switch (event) {
      case 'presence-update':
        this.setPresence(payload.users as PresenceEntry[]);
        break;
      case 'user-joined':
        this.emit('user-joined', payload.user as PresenceEntry['user']);
        break;
      case 'user-left':
        this.presence.delete(payload.userId as string);
        this.emit('user-left', payload.userId as string);
        break;
      case 'cursor-update': {
        const entry = this.presence.get(payload.userId as string);
        if (entry) entry.cursor = payload.cursor as Cursor;
        this.emit('cursor', payload.userId as string, payload.cursor as Cursor);
        break;
      }
      case 'selection-update':
        this.emit('selection', payload.userId as string, payload.selection);
        break;
      case 'typing-users':
        this.typing.set(payload.resourceId as string, payload.users as string[]);
        this.emit('typing', payload.resourceId as string, payload.users as string[]);
        break;
      case 'component-locked': {
        const lock = { componentId: payload.componentId as string, userId: payload.userId as string, userName: payload.userName as string };
        this.locks.set(lock.componentId, lock);
        this.emit('locked', lock);
        break;
      }
      case 'component-unlocked':
        this.locks.delete(payload.componentId as string);
        this.emit('unlocked', payload.componentId as string, { ...(payload.brokenBy ? { brokenBy: payload.brokenBy as string } : {}), ...(payload.formerHolder ? { formerHolder: payload.formerHolder as string } : {}) });
        break;
      case 'component-changed':
        this.emit('component-changed', payload.componentId as string, payload.changes, payload.userId as string | null);
        break;
      case 'token-changed':
        this.emit('token-changed', payload.tokenId as string, payload.changes, payload.userId as string | null);
        break;
      case 'access-revoked':
        this.left = true;
        this.client.forgetRoom(this.id);
        this.emit('access-revoked', payload.reason as string);
        break;
    }
  }

  private setPresence(entries: PresenceEntry[]): void {
    this.presence.clear();
    for (const entry of entries) this.presence.set(entry.user.id, entry);
    this.emit('presence', entries);
  }
}
