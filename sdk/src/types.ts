// The payloads of Ensemble's realtime protocol (docs/realtime.md), as the client sees them.
import type { EnsembleError } from './errors.ts';

export type PresenceStatus = 'active' | 'idle' | 'away';

/** Where the connection stands: `reconnecting` means it will try again by itself. */
export type ConnectionStatus = 'connecting' | 'connected' | 'reconnecting' | 'disconnected';

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

/** JSON an app may keep in its presence (`room.updatePresence({ state })`). */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/**
 * One entry per user, however many tabs or editors they have open (`connections`), whether they
 * came through this SDK, Socket.IO or a y-websocket provider.
 */
export interface PresenceEntry {
  user: PresenceUser;
  status: PresenceStatus;
  cursor: Cursor | null;
  selection: JsonValue;
  /** Documents the user has open (`component:<id>`, `tokens:<designSystemId>`). */
  viewing: string[];
  /** The app's own presence data. */
  state: { [key: string]: JsonValue };
  connections: number;
  lastSeen: string;
}

/** What `room.updatePresence()` may change. */
export interface PresenceChange {
  status?: PresenceStatus;
  cursor?: Cursor;
  selection?: JsonValue;
  componentId?: string | null;
  state?: { [key: string]: JsonValue };
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
  /** The connection's own user (null for an API key). */
  self?: PresenceUser | null;
}

/** The answer to every client event. */
export type Ack<T = unknown> =
  | { ok: true; data?: T }
  | { ok: false; error: { code: string; message: string; details?: unknown } };

/** Why the server took a room or a document away. */
export type RevokeReason = 'deleted' | 'membership_removed' | 'credential_revoked' | 'session_revoked' | (string & {});

export interface Conflict {
  resourceId: string;
  conflictData: { [key: string]: JsonValue };
}

/** Events a design-system room hands to its listeners. */
export interface RoomEvents {
  /** The whole presence list changed (someone joined, left or changed status). */
  presence: (entries: PresenceEntry[]) => void;
  /** Everyone present but this user, after any change to them. */
  others: (others: PresenceEntry[]) => void;
  /** This user's own entry changed (null before the first join). */
  self: (self: PresenceEntry | null) => void;
  'user-joined': (user: PresenceUser) => void;
  'user-left': (userId: string) => void;
  cursor: (userId: string, cursor: Cursor) => void;
  selection: (userId: string, selection: JsonValue) => void;
  typing: (resourceId: string, userIds: string[]) => void;
  locked: (lock: Lock) => void;
  unlocked: (componentId: string, details: { brokenBy?: string; formerHolder?: string }) => void;
  'component-changed': (componentId: string, changes: { [key: string]: JsonValue }, userId: string | null) => void;
  'token-changed': (tokenId: string, changes: { [key: string]: JsonValue }, userId: string | null) => void;
  /** A value this user wrote was overwritten by someone else's concurrent write. */
  'conflict-detected': (conflict: Conflict) => void;
  /** A comment in this design system was added, edited, resolved, reopened or deleted. */
  comment: (change: CommentChange) => void;
  /** Someone reacted to a comment of this design system, or took a reaction back. */
  reaction: (change: ReactionChange) => void;
  /** A version of this design system was published. */
  published: (version: string) => void;
  branch: (change: BranchChange) => void;
  /** A token changed in the connected GitHub repository and in Ensemble since the last sync (docs/github.md). */
  'github-sync-conflict': (conflict: { [key: string]: JsonValue }) => void;
  'access-revoked': (reason: RevokeReason) => void;
  error: (err: EnsembleError) => void;
}

/** A comment as the server shows it everywhere (REST, events). */
export interface Comment {
  id: string;
  designSystemId: string;
  resourceType: 'component' | 'token' | 'designSystem' | (string & {});
  resourceId: string;
  parentId: string | null;
  author: { id: string; name: string; handle: string | null; avatarUrl: string | null } | null;
  content: string;
  /** Sanitised HTML of the Markdown content. */
  html: string;
  deleted: boolean;
  mentions: string[];
  anchor: { start: number | null; end: number | null; text: string | null } | null;
  resolved: boolean;
  resolvedById: string | null;
  resolvedAt: string | null;
  reactions: { emoji: string; count: number; userIds: string[] }[];
  editedAt: string | null;
  createdAt: string;
  updatedAt: string;
  replies?: Comment[];
}

export type CommentChange =
  | { kind: 'added' | 'updated' | 'resolved' | 'reopened'; comment: Comment }
  | { kind: 'deleted'; commentId: string; resourceId: string };

export interface Notification {
  id: string;
  type: 'mention' | 'reply' | (string & {});
  teamId: string | null;
  payload: { [key: string]: JsonValue };
  read: boolean;
  readAt: string | null;
  createdAt: string;
}

/** @internal The fields the server's room events carry (each event uses some of them). */
export interface RoomPayload {
  designSystemId?: string;
  docName?: string;
  reason?: string;
  /** Presence entries (`presence-update`) or user ids (`typing-users`). */
  users?: PresenceEntry[] | string[];
  user?: PresenceUser;
  userId?: string | null;
  userName?: string;
  cursor?: Cursor;
  selection?: JsonValue;
  resourceId?: string;
  componentId?: string;
  tokenId?: string;
  brokenBy?: string;
  formerHolder?: string;
  changes?: { [key: string]: JsonValue };
  conflictData?: { [key: string]: JsonValue };
  comment?: Comment;
  commentId?: string;
  emoji?: string;
  version?: string;
  branch?: { [key: string]: JsonValue };
  mergeRequest?: { [key: string]: JsonValue };
  change?: string;
  mergeRequestId?: string;
  into?: string | null;
  documents?: JsonValue;
}

/** A reaction added to or removed from a comment of the room's design system. */
export interface ReactionChange {
  kind: 'added' | 'removed';
  commentId: string;
  emoji: string;
  userId: string;
}

/**
 * A branch of the room's design system was created or merged, or one of its merge requests changed
 * (opened, approved, commented, closed, merged): docs/branches.md.
 */
export type BranchChange =
  | { kind: 'created' | 'closed' | 'deleted'; branch: { [key: string]: JsonValue } }
  | { kind: 'merge-request-updated'; mergeRequest: { [key: string]: JsonValue }; change: string }
  | { kind: 'merged'; branch: { [key: string]: JsonValue }; mergeRequestId: string | null; into: string | null };
