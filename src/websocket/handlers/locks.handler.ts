// component-edit-start / component-edit-end acquire and release a lease on a component;
// component-lock-break lets an admin take it away. The room hears component-locked / -unlocked
// from the event bus (broadcast.ts), once per change.
import { z } from 'zod';
import { componentDoc } from '../../services/documents/document-names.ts';
import { can } from '../../services/policy.ts';
import { AppError } from '../../utils/errors.ts';
import { on } from '../bind.ts';
import type { Hub, HubSocket } from '../types.ts';

/** The joined design system a component belongs to (not joined, or not found, is refused). */
async function componentRoom(
  socket: HubSocket,
  hub: Hub,
  componentId: string,
): Promise<{ dsId: string; teamId: string }> {
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
      const { id: userId, name: userName } = socket.data.user;
      await hub.services.collaboration.lock(socket.data.actor, {
        componentId,
        designSystemId: dsId,
        teamId,
        userId,
        userName,
        connectionId: socket.id,
      });
      socket.data.locks.set(componentId, dsId);
      return { componentId, expiresInMs: hub.services.locks.ttlMs };
    },
  }),

  'component-edit-end': on({
    schema: componentOnly,
    limit: 'default',
    maxBytes: 512,
    async handle({ componentId }, socket, hub) {
      const { dsId, teamId } = await componentRoom(socket, hub, componentId);
      socket.data.locks.delete(componentId);
      await hub.services.collaboration.release(socket.data.actor, {
        componentId,
        designSystemId: dsId,
        teamId,
        userId: socket.data.user.id,
      });
    },
  }),

  'component-lock-break': on({
    schema: componentOnly,
    limit: 'default',
    maxBytes: 512,
    async handle({ componentId }, socket, hub) {
      const { dsId } = await componentRoom(socket, hub, componentId);
      try {
        await hub.services.collaboration.breakLock(socket.data.actor, dsId, componentId);
        return { broken: true };
      } catch (err) {
        if (err instanceof AppError && err.code === 'not_found') return { broken: false };
        throw err;
      }
    },
  }),
};

export { componentRoom };
