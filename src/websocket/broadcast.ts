// Domain events → room broadcasts, whatever transport the change came in by (REST, socket, worker).
import type { Hub } from './types.ts';
import { dsRoom } from './types.ts';

/** Subscribes the socket broadcasts to the event bus. */
export function startBroadcasts(hub: Hub): void {
  const { events } = hub.services;
  events.on('component.updated', ({ payload, actor }) => {
    hub.io.to(dsRoom(payload.designSystemId)).emit('component-changed', { componentId: payload.componentId, changes: { fields: payload.fields, version: payload.version }, userId: actor.userId });
  });
  events.on('component.reverted', ({ payload, actor }) => {
    hub.io.to(dsRoom(payload.designSystemId)).emit('component-changed', { componentId: payload.componentId, changes: { revertedTo: payload.toVersion, version: payload.version }, userId: actor.userId });
  });
  events.on('tokens.updated', ({ payload, actor }) => {
    if (!payload.tokenId) return;
    hub.io.to(dsRoom(payload.designSystemId)).emit('token-changed', { tokenId: payload.tokenId, changes: payload.changes ?? { deleted: true }, userId: actor.userId });
  });
  events.on('component.unlocked', ({ payload, actor }) => {
    hub.io.to(dsRoom(payload.designSystemId)).emit('component-unlocked', { componentId: payload.componentId, brokenBy: actor.userId, formerHolder: payload.formerHolder });
  });
  events.on('conflict.detected', ({ payload }) => {
    hub.io.to(`user:${payload.userId}`).emit('conflict-detected', { resourceId: payload.resourceId, conflictData: payload.conflictData });
  });
}
