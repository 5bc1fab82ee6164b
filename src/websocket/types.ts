// Types shared by the realtime hub's pieces.
import type { BranchView, MergeRequestView } from '../services/branches/views.ts';
import type { Server, Socket } from 'socket.io';
import type { Logger } from 'pino';
import type { Config } from '../config/config.ts';
import type { Actor } from '../services/actor.ts';
import type { ConnectionSession } from '../services/auth/authenticate.ts';
import type { CommentView } from '../services/comments/comment-view.ts';
import type { Services } from '../services/index.ts';
import type { PresenceEntry, PresenceUser } from '../services/realtime/presence.service.ts';
import type { CursorBatcher } from './cursor-batcher.ts';
import type { DocAwareness } from './doc-awareness.ts';
import type { Inflight } from './inflight.ts';
import type { RefusalTally } from './refusal-tally.ts';
import type { RealtimeMetrics } from './metrics.ts';

/** What a connection carries for its lifetime. */
export interface SocketData {
  actor: Actor;
  /** The credential it connected with (or renewed with `reauth`). */
  credential: string;
  /** What it signed in as: re-checked against the database when permissions change. */
  session: ConnectionSession;
  /** The reauth request and the close at the token's expiry. */
  expiry: NodeJS.Timeout[];
  /** `user:<id>` or `apikey:<id>`: also the name of the connection's personal room. */
  principal: string;
  user: PresenceUser;
  /** Joined design systems → their team. */
  designSystems: Map<string, string>;
  /** Subscribed documents → how their updates are encoded for this connection. */
  docs: Map<string, UpdateEncoding>;
  /** Subscribed documents → their design system (shown in its presence as `viewing`). */
  docSystems: Map<string, string>;
  /** Components this connection has locked → their design system. */
  locks: Map<string, string>;
  buckets: Map<string, { tokens: number; at: number }>;
  violations: number[];
  /** Refused document updates, to tell the sender why and close a connection refused too often. */
  refusals: RefusalTally;
  /** Documents whose updates are held back because the connection does not read (backpressure.ts). */
  behind: Set<string> | null;
  /** Update bytes written since its buffer was last looked at. */
  unchecked: number;
}

/** Server → client events: seed 001's contract, plus document sync and access notices. */
export interface ServerEvents {
  'user-joined': (p: { user: PresenceUser; designSystemId: string }) => void;
  'user-left': (p: { userId: string; designSystemId: string }) => void;
  // Room events carry `designSystemId` in addition to seed 001's payloads, so a connection in
  // several design systems can tell them apart.
  'presence-update': (p: { users: PresenceEntry[]; designSystemId: string }) => void;
  'cursor-update': (p: { userId: string; cursor: unknown; designSystemId: string }) => void;
  'selection-update': (p: { userId: string; selection: unknown; designSystemId: string }) => void;
  'component-locked': (p: { componentId: string; userId: string; userName: string; designSystemId: string }) => void;
  'component-unlocked': (p: {
    componentId: string;
    brokenBy?: string | null;
    formerHolder?: string;
    reason?: 'lost';
    designSystemId: string;
  }) => void;
  'typing-users': (p: { users: string[]; resourceId: string; designSystemId: string }) => void;
  'component-changed': (p: { componentId: string; changes: unknown; userId: string | null }) => void;
  'token-changed': (p: { tokenId: string; changes: unknown; userId: string | null }) => void;
  'design-system-published': (p: { version: string; designSystemId?: string }) => void;
  'branch-created': (p: { branch: BranchView; designSystemId: string }) => void;
  'branch-closed': (p: { branch: BranchView; designSystemId: string }) => void;
  'branch-deleted': (p: { branch: BranchView; designSystemId: string }) => void;
  'merge-request-updated': (p: { mergeRequest: MergeRequestView; change: string; designSystemId: string }) => void;
  'branch-merged': (p: {
    branch: BranchView;
    mergeRequestId: string;
    into: string | null;
    documents: string[];
    designSystemId: string;
  }) => void;
  'comment-added': (p: { comment: CommentView }) => void;
  'comment-updated': (p: { comment: CommentView }) => void;
  'comment-deleted': (p: { commentId: string; resourceId: string }) => void;
  'comment-resolved': (p: { comment: CommentView }) => void;
  'comment-reopened': (p: { comment: CommentView }) => void;
  'reaction-added': (p: { commentId: string; emoji: string; userId: string }) => void;
  'reaction-removed': (p: { commentId: string; emoji: string; userId: string }) => void;
  notification: (p: { notification: Record<string, unknown> }) => void;
  'job-progress': (p: {
    designSystemId: string;
    jobId: string;
    name: string;
    status: string;
    progress: number;
    phase: string;
    message?: string;
  }) => void;
  'conflict-detected': (p: { resourceId: string; conflictData: Record<string, unknown> }) => void;
  'github-sync-conflict': (p: {
    designSystemId: string;
    repository: string;
    commit: string;
    conflicts: { path: string; file: string; base: unknown; ensemble: unknown; repository: unknown }[];
  }) => void;
  'doc-update': (p: { docName: string; update: Uint8Array | string }) => void;
  /** Someone else's awareness states changed: a y-protocols awareness update, base64. */
  'doc-awareness': (p: { docName: string; update: string }) => void;
  /** An update of this connection was refused and reverted (the compensation arrives as a doc-update). */
  'update-refused': (p: { docName: string; code: string; message: string; details?: unknown }) => void;
  /** The server may lack changes this connection holds: subscribe again and send what it lacks. */
  'doc-resync': (p: { docName: string; reason: string }) => void;
  'access-revoked': (p: { designSystemId?: string; docName?: string; reason: string }) => void;
  error: (p: { code: string; message: string }) => void;
  /** The access token expires soon: answer with the `reauth` event and a fresh token. */
  reauth: (p: { expiresAt: string }) => void;
}

/** Client → server events are validated at runtime by each handler's schema. */
export type ClientEvents = Record<string, (...args: unknown[]) => void>;

export type HubSocket = Socket<ClientEvents, ServerEvents, Record<string, never>, SocketData>;
export type HubServer = Server<ClientEvents, ServerEvents, Record<string, never>, SocketData>;

/** Everything a handler may use. */
export interface Hub {
  io: HubServer;
  services: Services;
  config: Config;
  logger: Logger;
  metrics: RealtimeMetrics;
  cursors: CursorBatcher;
  /** The awareness of this node's live documents, shared with the y-websocket endpoint. */
  awareness: DocAwareness;
  /** Whether Socket.IO runs on the Redis adapter (several nodes). */
  clustered: boolean;
  /** Timers this hub armed (typing expiry), cleared on close. */
  timers: Map<string, NodeJS.Timeout>;
  /** Connection clean-ups in progress, awaited on close. */
  cleanups: Set<Promise<void>>;
  /** Events whose acks are owed, awaited (bounded) on close. */
  inflight: Inflight;
  /** Shutting down: new events and connections are refused as `service_unavailable`. */
  draining: boolean;
}

/** The ack every client event gets. */
export type AckResponse =
  | { ok: true; data?: unknown }
  | { ok: false; error: { code: string; message: string; details?: unknown } };

/** The room of a design system. */
export const dsRoom = (dsId: string): string => `ds:${dsId}`;
/** The room of a document's subscribers. */
/**
 * How a connection receives Yjs updates: `binary` (a Socket.IO binary attachment: two WebSocket
 * frames per event) or `base64` (a string: one frame, encoded once for every subscriber).
 */
export type UpdateEncoding = 'binary' | 'base64';

export const UPDATE_ENCODINGS: readonly UpdateEncoding[] = ['binary', 'base64'];

/** The room of a document's subscribers that take updates in `encoding`. */
export const docRoom = (name: string, encoding: UpdateEncoding = 'binary'): string =>
  encoding === 'binary' ? `doc:${name}` : `doc64:${name}`;
