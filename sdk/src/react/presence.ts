// Hooks on the connection and the room: status, who is here, this user's presence, locks.
import { useCallback, useSyncExternalStore } from 'react';
import type { DesignSystemRoom } from '../room.ts';
import type { ConnectionStatus, Cursor, Lock, PresenceChange, PresenceEntry } from '../types.ts';
import { useClient, useRoom } from './context.ts';

const NONE: PresenceEntry[] = [];
const EMPTY_CURSORS: ReadonlyMap<string, Cursor> = new Map();
const noop = () => undefined;

/** `connecting`, `connected`, `reconnecting` or `disconnected`; re-renders on every change. */
export function useStatus(): ConnectionStatus {
  const client = useClient();
  return useSyncExternalStore(
    useCallback((changed) => client.on('status', changed), [client]),
    () => client.status,
  );
}

/** A room value, re-read whenever the room says it changed. */
function useRoomValue<T>(
  room: DesignSystemRoom | null,
  events: ('others' | 'self' | 'locked' | 'unlocked' | 'cursor')[],
  read: (room: DesignSystemRoom) => T,
  empty: T,
): T {
  // biome-ignore lint/correctness/useExhaustiveDependencies: the event list is a literal per call site
  const subscribe = useCallback(
    (changed: () => void) => {
      if (!room) return noop;
      const offs = events.map((event) => room.on(event, changed));
      return () => {
        for (const off of offs) off();
      };
    },
    [room],
  );
  return useSyncExternalStore(subscribe, () => (room ? read(room) : empty));
}

/** Everyone in the room but this user (a new array only when it changed). */
export function useOthers(): PresenceEntry[] {
  const room = useRoom();
  return useRoomValue(room, ['others'], (r) => cachedOthers(r), NONE);
}

/** The others' cursors by user id, re-rendered on every move (≤ 20/s per user). */
export function useOthersCursors(): ReadonlyMap<string, Cursor> {
  const room = useRoom();
  return useRoomValue(room, ['cursor', 'others'], (r) => cachedCursors(r), EMPTY_CURSORS);
}

/** This user's entry in the room, null until joined. */
export function useSelf(): PresenceEntry | null {
  const room = useRoom();
  return useRoomValue(room, ['self'], (r) => r.self, null);
}

/** This user's presence and a function to change it (status, cursor, selection, custom state). */
export function useMyPresence(): [PresenceEntry | null, (change: PresenceChange) => Promise<void>] {
  const room = useRoom();
  const self = useSelf();
  const update = useCallback(
    (change: PresenceChange) => (room ? room.updatePresence(change) : Promise.resolve()),
    [room],
  );
  return [self, update];
}

export interface LockState {
  /** Who holds the component's lock, if anyone. */
  lock: Lock | null;
  /** This user holds it. */
  mine: boolean;
  /** Someone else holds it: edits would be refused. */
  lockedByOther: boolean;
  acquire: () => Promise<void>;
  release: () => Promise<void>;
}

/** A component's lock in the room, kept current from `component-locked`/`-unlocked`. */
export function useLock(componentId: string): LockState {
  const room = useRoom();
  const lock = useRoomValue(room, ['locked', 'unlocked'], (r) => r.locks.get(componentId) ?? null, null);
  const mine = Boolean(lock && room?.user && lock.userId === room.user.id);
  const acquire = useCallback(async () => void (await room?.lock(componentId)), [room, componentId]);
  const release = useCallback(async () => void (await room?.unlock(componentId)), [room, componentId]);
  return { lock, mine, lockedByOther: Boolean(lock) && !mine, acquire, release };
}

/** `room.others` is a fresh array per read; React needs the same one until something changed. */
const othersCache = new WeakMap<DesignSystemRoom, { key: string; value: PresenceEntry[] }>();
function cachedOthers(room: DesignSystemRoom): PresenceEntry[] {
  const value = room.others;
  const key = JSON.stringify(value);
  const cached = othersCache.get(room);
  if (cached?.key === key) return cached.value;
  othersCache.set(room, { key, value });
  return value;
}

const cursorCache = new WeakMap<DesignSystemRoom, { key: string; value: ReadonlyMap<string, Cursor> }>();
function cachedCursors(room: DesignSystemRoom): ReadonlyMap<string, Cursor> {
  const entries = room.others.filter((e) => e.cursor).map((e) => [e.user.id, e.cursor as Cursor] as const);
  const key = JSON.stringify(entries);
  const cached = cursorCache.get(room);
  if (cached?.key === key) return cached.value;
  const value = new Map(entries);
  cursorCache.set(room, { key, value });
  return value;
}
