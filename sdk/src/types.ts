// The payloads of Ensemble's realtime protocol (docs/realtime.md), as the client sees them.

export type PresenceStatus = 'active' | 'idle' | 'away';

export interface PresenceUser {
  id: string;
  name: string;
  avatarUrl: string | null;
}

export interface Cursor {
  x: number;
  y: number;
  elementId?: string | null;
}

/** One entry per user, however many tabs they have open (`connections`). */
export interface PresenceEntry {
  user: PresenceUser;
  status: PresenceStatus;
  cursor: Cursor | null;
  selection: unknown;
  connections: number;
  lastSeen: string;
}

export interface Lock {
  componentId: string;
  userId: string;
  userName: string;
  since?: string;
}

export type TypingResource = 'component' | 'token' | 'comment' | 'thread' | 'designSystem';

/** What `join-design-system` answers. */
export interface JoinState {
  designSystemId: string;
  presence: PresenceEntry[];
  locks: Lock[];
  typing: { resourceId: string; users: string[] }[];
}

/** The answer to every client event. */
export type Ack<T = unknown> = { ok: true; data?: T } | { ok: false; error: { code: string; message: string; details?: unknown } };

/** Events a design-system room hands to its listeners. */
export interface RoomEvents {
  /** The whole presence list changed (someone joined, left or changed status). */
  presence: (entries: PresenceEntry[]) => void;
  'user-joined': (user: PresenceUser) => void;
  'user-left': (userId: string) => void;
  cursor: (userId: string, cursor: Cursor) => void;
  selection: (userId: string, selection: unknown) => void;
  typing: (resourceId: string, userIds: string[]) => void;
  locked: (lock: Lock) => void;
  unlocked: (componentId: string, details: { brokenBy?: string; formerHolder?: string }) => void;
  'component-changed': (componentId: string, changes: unknown, userId: string | null) => void;
  'token-changed': (tokenId: string, changes: unknown, userId: string | null) => void;
  'conflict-detected': (resourceId: string, conflictData: Record<string, unknown>) => void;
  'access-revoked': (reason: string) => void;
}
