// user-status, cursor-move (coalesced, batched per tick), selection-change and presence-state
// (the client's own fields of its presence entry: a colour, what it is doing).
import { z } from 'zod';
import { AppError } from '../../utils/errors.ts';
import { on } from '../bind.ts';
import { announcePresence } from '../room-presence.ts';
import { dsRoom } from '../types.ts';
import { joinedDesignSystem } from './rooms.handler.ts';

const finite = z.number().finite();
/** The largest custom presence state, as JSON. */
const MAX_STATE_BYTES = 2048;

export const presenceHandlers = {
  'user-status': on({
    schema: z.object({ status: z.enum(['active', 'idle', 'away']), designSystemId: z.uuid().optional() }),
    limit: 'default',
    maxBytes: 512,
    async handle({ status, designSystemId }, socket, hub) {
      const rooms = designSystemId
        ? [joinedDesignSystem(socket, designSystemId)]
        : [...socket.data.designSystems.keys()];
      for (const dsId of rooms) {
        await hub.services.presence.update(dsId, socket.data.user.id, { status });
        await announcePresence(hub, dsId);
      }
    },
  }),

  'cursor-move': on({
    schema: z.object({
      x: finite,
      y: finite,
      elementId: z.string().max(200).nullable().optional(),
      designSystemId: z.uuid().optional(),
    }),
    limit: 'cursor',
    maxBytes: 512,
    handle({ x, y, elementId, designSystemId }, socket, hub) {
      const dsId = joinedDesignSystem(socket, designSystemId);
      hub.cursors.push(dsId, socket.data.user.id, socket.data.principal, { x, y, elementId: elementId ?? null });
    },
  }),

  'selection-change': on({
    schema: z.object({
      componentId: z.uuid().nullable().optional(),
      selection: z.json(),
      designSystemId: z.uuid().optional(),
    }),
    limit: 'cursor',
    maxBytes: 4096,
    async handle({ componentId, selection, designSystemId }, socket, hub) {
      const dsId = joinedDesignSystem(socket, designSystemId);
      const value = { componentId: componentId ?? null, selection };
      hub.io
        .to(dsRoom(dsId))
        .except(socket.data.principal)
        .emit('selection-update', { userId: socket.data.user.id, selection: value, designSystemId: dsId });
      await hub.services.presence.update(dsId, socket.data.user.id, { selection: value });
    },
  }),

  'presence-state': on({
    schema: z.object({ designSystemId: z.uuid(), state: z.record(z.string(), z.json()) }),
    limit: 'cursor',
    maxBytes: MAX_STATE_BYTES + 512,
    async handle({ designSystemId, state }, socket, hub) {
      const dsId = joinedDesignSystem(socket, designSystemId);
      if (Buffer.byteLength(JSON.stringify(state)) > MAX_STATE_BYTES)
        throw new AppError('payload_too_large', `A presence state is limited to ${MAX_STATE_BYTES} bytes of JSON`);
      await hub.services.presence.update(dsId, socket.data.user.id, { state });
      await announcePresence(hub, dsId);
    },
  }),
};
