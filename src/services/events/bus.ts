// The typed domain event bus. Services publish after a change commits; subscribers (socket broadcast,
// activity log, notifications, webhooks), each in its own file, react. Handlers' failures are logged,
// never thrown back into the service that published.
import type { BranchView, MergeRequestView } from '../branches/views.ts';
import type { CommentView } from '../comments/comment-view.ts';

/** Who caused an event, as recorded in the activity log. */
export interface EventActor {
  userId: string | null;
  apiKeyId?: string;
  requestId?: string;
}

/** Every domain event and its payload. */
export interface DomainEvents {
  'team.created': { teamId: string; name: string };
  'team.updated': { teamId: string; changes: Record<string, unknown> };
  'team.deleted': { teamId: string };
  'member.added': { teamId: string; userId: string; role: string };
  'member.roleChanged': { teamId: string; userId: string; from: string; to: string };
  'member.removed': { teamId: string; userId: string };
  'apiKey.created': { teamId: string; apiKeyId: string; scopes: string[] };
  'apiKey.revoked': { teamId: string; apiKeyId: string };
  /** A sign-in session ended (logout, refresh-token reuse): its open connections close. */
  'session.revoked': { userId: string; sessionId: string };
  'designSystem.created': DsEvent & { name: string };
  'designSystem.updated': DsEvent & { changes: Record<string, unknown> };
  'designSystem.deleted': DsEvent;
  'designSystem.published': DsEvent & { version: string; packageName: string; registry: string | null };
  'component.created': DsEvent & { componentId: string; name: string };
  'component.updated': DsEvent & { componentId: string; fields: string[]; version: number };
  'component.deleted': DsEvent & { componentId: string };
  'component.versionSaved': DsEvent & { componentId: string; version: number; message: string | null };
  'component.reverted': DsEvent & { componentId: string; toVersion: number; version: number };
  'tokens.updated': DsEvent & {
    created: number;
    updated: number;
    deleted: number;
    source: 'import' | 'api' | 'live';
    tokenId?: string;
    path?: string;
    changes?: unknown;
  };
  /** An admin broke someone's lock. */
  'component.unlocked': DsEvent & { componentId: string; formerHolder: string };
  /** A lock was taken or released by its holder (collaboration state: not logged, no webhook). */
  'component.locked': DsEvent & { componentId: string; userId: string; userName: string };
  /** Released by its holder, or `lost` (expired, or gone with Redis's data and not restorable). */
  'component.released': DsEvent & { componentId: string; formerHolder?: string; reason?: 'lost' };
  /**
   * A live Yjs update arrived through seed 001's component-update / token-update (durable; the other
   * members of the room get it as component-changed / token-changed). Not logged, no webhook.
   */
  'component.liveEdited': DsEvent & { componentId: string; update: Uint8Array; connectionId?: string };
  'tokens.liveEdited': DsEvent & { tokenId: string; update: Uint8Array; connectionId?: string };
  'comment.created': DsEvent & { comment: CommentView; threadId: string };
  'comment.updated': DsEvent & { comment: CommentView; threadId: string; newMentions: string[] };
  'comment.deleted': DsEvent & { commentId: string; resourceId: string; threadId: string };
  'comment.resolved': DsEvent & { comment: CommentView };
  'comment.reopened': DsEvent & { comment: CommentView };
  'reaction.added': DsEvent & { commentId: string; emoji: string; userId: string };
  'reaction.removed': DsEvent & { commentId: string; emoji: string; userId: string };
  /** Branches and merge requests (docs/branches.md). */
  'branch.created': DsEvent & { branch: BranchView; documents: number };
  'branch.closed': DsEvent & { branch: BranchView };
  /** The branch, its documents, merge requests and their comments are gone. */
  'branch.deleted': DsEvent & { branch: BranchView };
  'branch.merged': DsEvent & { branch: BranchView; mergeRequestId: string; into: string | null; documents: string[] };
  'mergeRequest.updated': DsEvent & { mergeRequest: MergeRequestView; change: string };
  'notification.created': { userId: string; notification: Record<string, unknown> };
  'job.progress': DsEvent & {
    jobId: string;
    name: string;
    status: string;
    progress: number;
    phase: 'progress' | 'completed' | 'failed' | 'cancelled';
    message?: string;
  };
  'job.completed': DsEvent & { jobId: string; name: string; result: Record<string, unknown> };
  /** A write of this user's was refused as stale (REST 409): they are told over their socket too. */
  'conflict.detected': { userId: string; resourceId: string; conflictData: Record<string, unknown> };
  'asset.uploaded': DsEvent & { assetId: string; filename: string; size: number };
  'asset.deleted': DsEvent & { assetId: string };
  /** Tokens changed both in the repository and in Ensemble since the last sync: kept as Ensemble has them. */
  'github.syncConflict': DsEvent & {
    repository: string;
    commit: string;
    conflicts: { path: string; file: string; base: unknown; ensemble: unknown; repository: unknown }[];
  };
}

/** Events about something inside a design system carry both ids. */
interface DsEvent {
  teamId: string;
  designSystemId: string;
}

export type EventName = keyof DomainEvents;

export interface DomainEvent<N extends EventName = EventName> {
  name: N;
  payload: DomainEvents[N];
  actor: EventActor;
  at: Date;
}

type Handler<N extends EventName> = (event: DomainEvent<N>) => void | Promise<void>;

/** In-process fan-out of domain events to subscribers. */
export class EventBus {
  private readonly handlers = new Map<EventName, Set<Handler<EventName>>>();
  private readonly pending = new Set<Promise<void>>();

  private readonly onError: (err: unknown, event: DomainEvent) => void;

  constructor(onError: (err: unknown, event: DomainEvent) => void = () => undefined) {
    this.onError = onError;
  }

  /** Subscribes to one event; returns the unsubscribe function. */
  on<N extends EventName>(name: N, handler: Handler<N>): () => void {
    const set = this.handlers.get(name) ?? new Set();
    set.add(handler as Handler<EventName>);
    this.handlers.set(name, set);
    return () => set.delete(handler as Handler<EventName>);
  }

  /** Publishes an event to every subscriber without waiting for them. */
  publish<N extends EventName>(name: N, payload: DomainEvents[N], actor: EventActor): void {
    const event: DomainEvent<N> = { name, payload, actor, at: new Date() };
    for (const handler of this.handlers.get(name) ?? []) {
      const run = (async () => handler(event as DomainEvent<EventName>))().catch((err: unknown) =>
        this.onError(err, event),
      );
      this.pending.add(run);
      void run.finally(() => this.pending.delete(run));
    }
  }

  /** Resolves once every handler started so far has finished (shutdown and tests). */
  async drain(): Promise<void> {
    while (this.pending.size) await Promise.allSettled([...this.pending]);
  }
}
