// useComments and useNotifications: REST for the list, the room's and the user's events to keep it
// current (a change refetches, so replies, reactions and resolutions are always the server's).
import { useCallback, useEffect, useRef, useState } from 'react';
import { toEnsembleError, type EnsembleError } from '../errors.ts';
import type { Comment, Notification } from '../types.ts';
import { useClient, useRoom } from './context.ts';

export type CommentResource = 'component' | 'token' | 'designSystem';

export interface CommentsState {
  /** Threads on the resource, oldest first, each with its `replies`. */
  comments: Comment[];
  loading: boolean;
  error: EnsembleError | null;
  /** Comments (or replies, with `parentId`); `mentions` are user ids, `@handle` in the text works too. */
  add: (content: string, options?: { parentId?: string; mentions?: string[] }) => Promise<Comment>;
  react: (commentId: string, emoji: string) => Promise<void>;
  resolve: (commentId: string, resolved?: boolean) => Promise<void>;
  /** Fetches the thread again (it also refetches by itself on every change to it, reactions included). */
  reload: () => void;
}

export function useComments(resourceType: CommentResource, resourceId: string): CommentsState {
  const client = useClient();
  const room = useRoom();
  const [state, setState] = useState<{ comments: Comment[]; loading: boolean; error: EnsembleError | null }>({
    comments: [],
    loading: true,
    error: null,
  });
  const load = useCallback(() => {
    client
      .api<{ items: Comment[] }>('/api/comments', {
        query: { resource_type: resourceType, resource_id: resourceId, limit: 100 },
      })
      .then(
        ({ items }) => setState({ comments: [...items].reverse(), loading: false, error: null }),
        (err: unknown) => setState((s) => ({ ...s, loading: false, error: toEnsembleError(err) })),
      );
  }, [client, resourceType, resourceId]);
  useEffect(load, [load]);
  useEffect(() => {
    if (!room) return;
    return room.on('comment', (change) => {
      const about = change.kind === 'deleted' ? change.resourceId : change.comment.resourceId;
      if (about === resourceId) load();
    });
  }, [room, resourceId, load]);
  // A reaction names its comment only: refetch when it is one of these threads'.
  const ids = useRef<ReadonlySet<string>>(new Set());
  ids.current = new Set(state.comments.flatMap((c) => [c.id, ...(c.replies ?? []).map((r) => r.id)]));
  useEffect(() => {
    if (!room) return;
    return room.on('reaction', (change) => {
      if (ids.current.has(change.commentId)) load();
    });
  }, [room, load]);
  const add = useCallback(
    (content: string, options: { parentId?: string; mentions?: string[] } = {}) =>
      client.api<Comment>('/api/comments', { method: 'POST', body: { resourceType, resourceId, content, ...options } }),
    [client, resourceType, resourceId],
  );
  const react = useCallback(
    async (commentId: string, emoji: string) =>
      void (await client.api(`/api/comments/${commentId}/reactions`, { method: 'POST', body: { emoji } })),
    [client],
  );
  const resolve = useCallback(
    async (commentId: string, resolved = true) =>
      void (await client.api(`/api/comments/${commentId}/resolve`, { method: 'POST', body: { resolved } })),
    [client],
  );
  return { ...state, add, react, resolve, reload: load };
}

export interface NotificationsState {
  notifications: Notification[];
  unreadCount: number;
  markRead: (id: string) => Promise<void>;
  markAllRead: () => Promise<void>;
}

/** The signed-in user's inbox, newest first; a `notification` event adds to it at once. */
export function useNotifications(): NotificationsState {
  const client = useClient();
  const [state, setState] = useState<{ notifications: Notification[]; unreadCount: number }>({
    notifications: [],
    unreadCount: 0,
  });
  const load = useCallback(() => {
    client.api<{ items: Notification[]; unreadCount: number }>('/api/notifications', { query: { limit: 50 } }).then(
      ({ items, unreadCount }) => setState({ notifications: items, unreadCount }),
      (err: unknown) => client.report(err),
    );
  }, [client]);
  useEffect(load, [load]);
  useEffect(
    () =>
      client.on('notification', (n) =>
        setState((s) =>
          s.notifications.some((x) => x.id === n.id)
            ? s
            : { notifications: [n, ...s.notifications], unreadCount: s.unreadCount + (n.read ? 0 : 1) },
        ),
      ),
    [client],
  );
  // Missed while disconnected: the inbox again after each reconnect.
  useEffect(() => client.on('connected', load), [client, load]);
  const markRead = useCallback(
    async (id: string) => {
      await client.api(`/api/notifications/${id}/read`, { method: 'POST' });
      load();
    },
    [client, load],
  );
  const markAllRead = useCallback(async () => {
    await client.api('/api/notifications/read-all', { method: 'POST' });
    load();
  }, [client, load]);
  return { ...state, markRead, markAllRead };
}
