// Domain events → room broadcasts, whatever transport the change came in by (REST, socket, worker).
import type { Hub } from './types.ts';
import { dsRoom } from './types.ts';

/** Subscribes the socket broadcasts to the event bus. */
export function startBroadcasts(hub: Hub): void {
  const { events } = hub.services;
  events.on('component.created', ({ payload, actor }) => {
    hub.io.to(dsRoom(payload.designSystemId)).emit('component-changed', {
      componentId: payload.componentId,
      changes: { created: true, name: payload.name },
      userId: actor.userId,
    });
  });
  events.on('component.updated', ({ payload, actor }) => {
    hub.io.to(dsRoom(payload.designSystemId)).emit('component-changed', {
      componentId: payload.componentId,
      changes: { fields: payload.fields, version: payload.version },
      userId: actor.userId,
    });
  });
  events.on('component.reverted', ({ payload, actor }) => {
    hub.io.to(dsRoom(payload.designSystemId)).emit('component-changed', {
      componentId: payload.componentId,
      changes: { revertedTo: payload.toVersion, version: payload.version },
      userId: actor.userId,
    });
  });
  events.on('tokens.updated', ({ payload, actor }) => {
    if (!payload.tokenId) return;
    hub.io.to(dsRoom(payload.designSystemId)).emit('token-changed', {
      tokenId: payload.tokenId,
      changes: payload.changes ?? { deleted: true },
      userId: actor.userId,
    });
  });
  // A live Yjs update through component-update / token-update: the others apply `changes`.
  events.on('component.liveEdited', ({ payload, actor }) => {
    hub.io
      .to(dsRoom(payload.designSystemId))
      .except(payload.connectionId ?? [])
      .emit('component-changed', { componentId: payload.componentId, changes: payload.update, userId: actor.userId });
  });
  events.on('tokens.liveEdited', ({ payload, actor }) => {
    hub.io
      .to(dsRoom(payload.designSystemId))
      .except(payload.connectionId ?? [])
      .emit('token-changed', { tokenId: payload.tokenId, changes: payload.update, userId: actor.userId });
  });
  events.on('component.locked', ({ payload }) => {
    hub.io.to(dsRoom(payload.designSystemId)).emit('component-locked', {
      componentId: payload.componentId,
      userId: payload.userId,
      userName: payload.userName,
      designSystemId: payload.designSystemId,
    });
  });
  events.on('component.released', ({ payload }) => {
    const { componentId, designSystemId, formerHolder, reason } = payload;
    hub.io
      .to(dsRoom(designSystemId))
      .emit('component-unlocked', { componentId, designSystemId, ...(reason ? { formerHolder, reason } : {}) });
  });
  events.on('component.unlocked', ({ payload, actor }) => {
    hub.io.to(dsRoom(payload.designSystemId)).emit('component-unlocked', {
      componentId: payload.componentId,
      brokenBy: actor.userId,
      formerHolder: payload.formerHolder,
      designSystemId: payload.designSystemId,
    });
  });
  events.on(
    'comment.created',
    ({ payload }) => void hub.io.to(dsRoom(payload.designSystemId)).emit('comment-added', { comment: payload.comment }),
  );
  events.on(
    'comment.updated',
    ({ payload }) =>
      void hub.io.to(dsRoom(payload.designSystemId)).emit('comment-updated', { comment: payload.comment }),
  );
  events.on(
    'comment.deleted',
    ({ payload }) =>
      void hub.io
        .to(dsRoom(payload.designSystemId))
        .emit('comment-deleted', { commentId: payload.commentId, resourceId: payload.resourceId }),
  );
  events.on(
    'comment.resolved',
    ({ payload }) =>
      void hub.io.to(dsRoom(payload.designSystemId)).emit('comment-resolved', { comment: payload.comment }),
  );
  events.on(
    'comment.reopened',
    ({ payload }) =>
      void hub.io.to(dsRoom(payload.designSystemId)).emit('comment-reopened', { comment: payload.comment }),
  );
  events.on('reaction.added', ({ payload }) => {
    hub.io
      .to(dsRoom(payload.designSystemId))
      .emit('reaction-added', { commentId: payload.commentId, emoji: payload.emoji, userId: payload.userId });
  });
  events.on('reaction.removed', ({ payload }) => {
    hub.io
      .to(dsRoom(payload.designSystemId))
      .emit('reaction-removed', { commentId: payload.commentId, emoji: payload.emoji, userId: payload.userId });
  });
  events.on(
    'notification.created',
    ({ payload }) =>
      void hub.io.to(`user:${payload.userId}`).emit('notification', { notification: payload.notification }),
  );
  events.on('designSystem.published', ({ payload }) => {
    hub.io
      .to(dsRoom(payload.designSystemId))
      .emit('design-system-published', { version: payload.version, designSystemId: payload.designSystemId });
  });
  events.on(
    'branch.created',
    ({ payload }) =>
      void hub.io
        .to(dsRoom(payload.designSystemId))
        .emit('branch-created', { branch: payload.branch, designSystemId: payload.designSystemId }),
  );
  for (const name of ['branch.closed', 'branch.deleted'] as const) {
    const event = name === 'branch.closed' ? 'branch-closed' : 'branch-deleted';
    events.on(name, ({ payload }) => {
      hub.io
        .to(dsRoom(payload.designSystemId))
        .emit(event, { branch: payload.branch, designSystemId: payload.designSystemId });
    });
  }
  events.on('mergeRequest.updated', ({ payload }) => {
    hub.io.to(dsRoom(payload.designSystemId)).emit('merge-request-updated', {
      mergeRequest: payload.mergeRequest,
      change: payload.change,
      designSystemId: payload.designSystemId,
    });
  });
  events.on('branch.merged', ({ payload }) => {
    const { branch, mergeRequestId, into, documents, designSystemId } = payload;
    hub.io
      .to(dsRoom(designSystemId))
      .emit('branch-merged', { branch, mergeRequestId, into, documents, designSystemId });
  });
  events.on('job.progress', ({ payload }) => {
    const { teamId: _team, ...job } = payload;
    hub.io.to(dsRoom(payload.designSystemId)).emit('job-progress', job);
  });
  events.on('conflict.detected', ({ payload }) => {
    hub.io
      .to(`user:${payload.userId}`)
      .emit('conflict-detected', { resourceId: payload.resourceId, conflictData: payload.conflictData });
  });
  events.on(
    'github.syncConflict',
    ({ payload: { teamId: _team, ...conflict } }) =>
      void hub.io.to(dsRoom(conflict.designSystemId)).emit('github-sync-conflict', conflict),
  );
}
