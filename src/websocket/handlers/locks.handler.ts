// component-edit-start / component-edit-end acquire and release a lease on a component;
// component-lock-break lets an admin take it away. The room hears component-locked / -unlocked.
import { z } from 'zod';
import { componentDoc } from '../../services/documents/document-names.ts';
import { authorize, can } from '../../services/policy.ts';
import { lockedError } from '../../services/realtime/locks.service.ts';
import { AppError } from '../../utils/errors.ts';
import { on } from '../bind.ts';
import { dsRoom, type Hub, type HubSocket } from '../types.ts';

/** The joined design system a component belongs to (not joined, or not found, is refused). */
async function componentRoom(socket: HubSocket, hub: Hub, componentId: string): Promise<{ dsId: string; teamId: string }> {
  const owner = await hub.services.documents.owner(componentDoc(componentId));
  if (!socket.data.designSystems.has(owner.designSystemId)) {
    // Outsiders learn nothing; members who simply did not join are told to.
    if (!can(socket.data.actor, 'designSystem:read', owner)) throw new AppError('not_found');
    throw new AppError('not_joined');
  }
  return { dsId: owner.designSystemId, teamId: owner.teamId };
}

const componentOnly = z.object({ componentId: z.uuid() });

export const lockHandlers = {
  'component-edit-start': on({
    schema: componentOnly,
    limit: 'default',
    maxBytes: 512,
    async handle({ componentId }, socket, hub) {
      const { dsId, teamId } = await componentRoom(socket, hub, componentId);
      authorize(socket.data.actor, 'designSystem:write', { teamId });
      const { acquired, holder } = await hub.services.locks.acquire({
        componentId,
        designSystemId: dsId,
        userId: socket.data.user.id,
        userName: socket.data.user.name,
        connectionId: socket.id,
      });
      if (!acquired) throw lockedError(holder);
      socket.data.locks.set(componentId, dsId);
      hub.io.to(dsRoom(dsId)).emit('component-locked', { componentId, userId: socket.data.user.id, userName: socket.data.user.name, designSystemId: dsId });
      return { componentId, expiresInMs: hub.services.locks.ttlMs };
    },
  }),

  'component-edit-end': on({
    schema: componentOnly,
    limit: 'default',
    maxBytes: 512,
    async handle({ componentId }, socket, hub) {
      const { dsId } = await componentRoom(socket, hub, componentId);
      socket.data.locks.delete(componentId);
      if (await hub.services.locks.release(componentId, socket.data.user.id)) hub.io.to(dsRoom(dsId)).emit('component-unlocked', { componentId, designSystemId: dsId });
    },
  }),

  'component-lock-break': on({
    schema: componentOnly,
    limit: 'default',
    maxBytes: 512,
    async handle({ componentId }, socket, hub) {
      const { dsId, teamId } = await componentRoom(socket, hub, componentId);
      authorize(socket.data.actor, 'lock:break', { teamId });
      const former = await hub.services.locks.breakLock(componentId);
      if (former) hub.io.to(dsRoom(dsId)).emit('component-unlocked', { componentId, brokenBy: socket.data.user.id, formerHolder: former.userId, designSystemId: dsId });
      return { broken: Boolean(former) };
    },
  }),
};

export { componentRoom };
