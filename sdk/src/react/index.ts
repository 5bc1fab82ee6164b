// @ensemble/client/react: React bindings (React ≥ 18 as a peer) over the same client.
export {
  EnsembleProvider,
  RoomProvider,
  useClient,
  useRoom,
  useRoomState,
  type EnsembleProviderProps,
  type RoomProviderProps,
} from './context.ts';
export { useLock, useMyPresence, useOthers, useOthersCursors, useSelf, useStatus, type LockState } from './presence.ts';
export { useDoc, type DocState } from './doc.ts';
export {
  useComments,
  useNotifications,
  type CommentResource,
  type CommentsState,
  type NotificationsState,
} from './comments.ts';
