// user-status, cursor-move (coalesced, batched per tick) and selection-change.
import { z } from 'zod';
import { on } from '../bind.ts';
import { dsRoom } from '../types.ts';
import { joinedDesignSystem } from './rooms.handler.ts';

const finite = z.number().finite();

export const presenceHandlers = {
  'user-status': on({
    schema: z.object({ status: z.enum(['active', 'idle', 'away']), designSystemId: z.uuid().optional() }),
    limit: 'default',
    maxBytes: 512,
    async handle({ status, designSystemId }, socket, hub) {
      const rooms = designSystemId ? [joinedDesignSystem(socket, designSystemId)] : [...socket.data.designSystems.keys()];
      for (const dsId of rooms) {
        await hub.services.presence.update(dsId, socket.data.user.id, { status });
        hub.io.to(dsRoom(dsId)).emit('presence-update', { users: await hub.services.presence.list(dsId), designSystemId: dsId });
      }
    },
  }),

  'cursor-move': on({
    schema: z.object({ x: finite, y: finite, elementId: z.string().max(200).nullable().optional(), designSystemId: z.uuid().optional() }),
    limit: 'cursor',
    maxBytes: 512,
    handle({ x, y, elementId, designSystemId }, socket, hub) {
      const dsId = joinedDesignSystem(socket, designSystemId);
      hub.cursors.push(dsId, socket.data.user.id, socket.data.principal, { x, y, elementId: elementId ?? null });
    },
  }),

  'selection-change': on({
    schema: z.object({ componentId: z.uuid().nullable().optional(), selection: z.json(), designSystemId: z.uuid().optional() }),
    limit: 'cursor',
    maxBytes: 4096,
    async handle({ componentId, selection, designSystemId }, socket, hub) {
      const dsId = joinedDesignSystem(socket, designSystemId);
      const value = { componentId: componentId ?? null, selection };
      hub.io.to(dsRoom(dsId)).except(socket.data.principal).emit('selection-update', { userId: socket.data.user.id, selection: value, designSystemId: dsId });
      await hub.services.presence.update(dsId, socket.data.user.id, { selection: value });
    },
  }),
};
