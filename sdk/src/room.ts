// A joined design system: presence (one entry per user, from Socket.IO and y-websocket clients
// alike), cursors, selections, typing, locks and comment changes, kept current from the room's
// events. Cursor moves are throttled client-side (leading and trailing: the latest always goes out).
import type { EnsembleClient } from './client.ts';
import { Emitter } from './emitter.ts';
import type {
  CommentChange,
  Cursor,
  JoinState,
  JsonValue,
  Lock,
  PresenceChange,
  PresenceEntry,
  PresenceStatus,
  PresenceUser,
  RoomEvents,
  RoomPayload,
  TypingResource,
} from './types.ts';

export class DesignSystemRoom extends Emitter<RoomEvents> {
  readonly id: string;
  /** Everyone present, by user id (this user included). */
  readonly presence = new Map<string, PresenceEntry>();
  /** Held locks, by component id. */
  readonly locks = new Map<string, Lock>();
  /** Who is typing, by resource id. */
  readonly typing = new Map<string, string[]>();
  /** This connection's user, once joined (null for an API key). */
  user: PresenceUser | null = null;
  private readonly client: EnsembleClient;
  private pendingCursor: Cursor | null = null;
  private cursorTimer: ReturnType<typeof setTimeout> | null = null;
  private lastCursorAt = 0;
  private left = false;

  constructor(client: EnsembleClient, id: string) {
    super();
    this.client = client;
    this.id = id;
  }

  /** Everyone present but this user, sorted by name. */
  get others(): PresenceEntry[] {
    return [...this.presence.values()].filter((e) => e.user.id !== this.user?.id);
  }

  /** This user's own entry. */
  get self(): PresenceEntry | null {
    return (this.user && this.presence.get(this.user.id)) ?? null;
  }

  /** Joins (or re-joins after a reconnect) and replaces the local state with the server's. */
  async join(): Promise<void> {
    const state = await this.client.request<JoinState>('join-design-system', { designSystemId: this.id });
    this.left = false;
    this.user = state.self ?? null;
    this.locks.clear();
    for (const lock of state.locks) this.locks.set(lock.componentId, lock);
    this.typing.clear();
    for (const t of state.typing) this.typing.set(t.resourceId, t.users);
    this.setPresence(state.presence);
  }

  async leave(): Promise<void> {
    this.left = true;
    if (this.cursorTimer) clearTimeout(this.cursorTimer);
    this.client.forgetRoom(this.id);
    await this.client.request('leave-design-system', { designSystemId: this.id });
  }

  /** Changes any of this user's status, cursor, selection and custom state (in that order, one after the other). */
  async updatePresence(change: PresenceChange): Promise<void> {
    if (change.cursor) this.moveCursor(change.cursor);
    if (change.status) await this.setStatus(change.status);
    if (change.selection !== undefined) await this.select(change.selection, change.componentId ?? undefined);
    if (change.state) await this.client.request('presence-state', { designSystemId: this.id, state: change.state });
  }

  setStatus(status: PresenceStatus): Promise<void> {
    return this.client.request('user-status', { status, designSystemId: this.id });
  }

  /** Sends at most one cursor position per `cursorThrottleMs`; the latest always goes out. */
  moveCursor(cursor: Cursor): void {
    this.pendingCursor = cursor;
    if (this.cursorTimer || this.left) return;
    const wait = Math.max(0, this.lastCursorAt + this.client.cursorThrottleMs - Date.now());
    this.cursorTimer = setTimeout(() => {
      this.cursorTimer = null;
      const latest = this.pendingCursor;
      this.pendingCursor = null;
      if (!latest || this.left) return;
      this.lastCursorAt = Date.now();
      this.client
        .request('cursor-move', { ...latest, designSystemId: this.id })
        .catch((err: unknown) => this.client.report(err));
    }, wait);
  }

  select(selection: JsonValue, componentId?: string): Promise<void> {
    return this.client.request('selection-change', {
      selection,
      ...(componentId ? { componentId } : {}),
      designSystemId: this.id,
    });
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
  handle(event: string, payload: RoomPayload): void {
    switch (event) {
      case 'presence-update':
        this.setPresence((payload.users ?? []) as PresenceEntry[]);
        break;
      case 'user-joined':
        this.emit('user-joined', payload.user!);
        break;
      case 'user-left':
        this.presence.delete(payload.userId!);
        this.emit('user-left', payload.userId!);
        this.changed();
        break;
      case 'cursor-update': {
        const entry = this.presence.get(payload.userId!);
        if (entry) entry.cursor = payload.cursor!;
        this.emit('cursor', payload.userId!, payload.cursor!);
        break;
      }
      case 'selection-update': {
        const entry = this.presence.get(payload.userId!);
        if (entry) entry.selection = payload.selection!;
        this.emit('selection', payload.userId!, payload.selection!);
        break;
      }
      case 'typing-users': {
        const users = (payload.users ?? []) as string[];
        this.typing.set(payload.resourceId!, users);
        this.emit('typing', payload.resourceId!, users);
        break;
      }
      case 'component-locked': {
        const lock = { componentId: payload.componentId!, userId: payload.userId ?? '', userName: payload.userName! };
        this.locks.set(lock.componentId, lock);
        this.emit('locked', lock);
        break;
      }
      case 'component-unlocked':
        this.locks.delete(payload.componentId!);
        this.emit('unlocked', payload.componentId!, {
          ...(payload.brokenBy ? { brokenBy: payload.brokenBy } : {}),
          ...(payload.formerHolder ? { formerHolder: payload.formerHolder } : {}),
        });
        break;
      case 'component-changed':
        this.emit('component-changed', payload.componentId!, payload.changes ?? {}, payload.userId ?? null);
        break;
      case 'token-changed':
        this.emit('token-changed', payload.tokenId!, payload.changes ?? {}, payload.userId ?? null);
        break;
      case 'conflict-detected':
        this.emit('conflict-detected', { resourceId: payload.resourceId!, conflictData: payload.conflictData ?? {} });
        break;
      case 'comment-added':
      case 'comment-updated':
      case 'comment-resolved':
      case 'comment-reopened': {
        const comment = payload.comment!;
        if (comment.designSystemId !== this.id) break;
        this.emit('comment', { kind: event.slice('comment-'.length) as 'added', comment });
        break;
      }
      case 'comment-deleted':
        this.emit('comment', {
          kind: 'deleted',
          commentId: payload.commentId!,
          resourceId: payload.resourceId!,
        } satisfies CommentChange);
        break;
      case 'reaction-added':
      case 'reaction-removed':
        this.emit('reaction', {
          kind: event === 'reaction-added' ? 'added' : 'removed',
          commentId: payload.commentId!,
          emoji: payload.emoji!,
          userId: payload.userId ?? '',
        });
        break;
      case 'design-system-published':
        this.emit('published', payload.version!);
        break;
      case 'branch-created':
      case 'branch-closed':
      case 'branch-deleted':
        this.emit('branch', {
          kind: event === 'branch-created' ? 'created' : event === 'branch-closed' ? 'closed' : 'deleted',
          branch: payload.branch ?? {},
        });
        break;
      case 'merge-request-updated':
        this.emit('branch', {
          kind: 'merge-request-updated',
          mergeRequest: payload.mergeRequest ?? {},
          change: payload.change ?? '',
        });
        break;
      case 'branch-merged':
        this.emit('branch', {
          kind: 'merged',
          branch: payload.branch ?? {},
          mergeRequestId: payload.mergeRequestId ?? null,
          into: payload.into ?? null,
        });
        break;
      case 'github-sync-conflict': {
        const { designSystemId: _ds, ...conflict } = payload;
        this.emit('github-sync-conflict', conflict as { [key: string]: JsonValue });
        break;
      }
      case 'access-revoked':
        this.left = true;
        this.client.forgetRoom(this.id);
        this.emit('access-revoked', payload.reason!);
        break;
    }
  }

  private setPresence(entries: PresenceEntry[]): void {
    this.presence.clear();
    for (const entry of entries)
      this.presence.set(entry.user.id, { ...entry, viewing: entry.viewing ?? [], state: entry.state ?? {} });
    this.emit('presence', entries);
    this.changed();
  }

  private changed(): void {
    this.emit('others', this.others);
    this.emit('self', this.self);
  }
}
