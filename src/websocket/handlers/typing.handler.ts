// typing-start / typing-stop → typing-users, expiring by itself after TYPING_TTL_SECONDS.
import { z } from 'zod';
import { on } from '../bind.ts';
import { dsRoom, type Hub } from '../types.ts';
import { joinedDesignSystem } from './rooms.handler.ts';

const payload = z.object({
  resourceId: z.string().min(1).max(200),
  resourceType: z.enum(['component', 'token', 'comment', 'thread', 'designSystem']),
  designSystemId: z.uuid().optional(),
});

/** One expiry timer per (room, resource, user) on this node, re-armed by each typing-start. */
function armExpiry(hub: Hub, dsId: string, resourceId: string, userId: string): void {
  const key = `typing|${dsId}|${resourceId}|${userId}`;
  clearTimeout(hub.timers.get(key));
  const timer = setTimeout(async () => {
    hub.timers.delete(key);
    const users = await hub.services.typing.users(dsId, resourceId).catch(() => null);
    if (users && !users.includes(userId))
      hub.io.to(dsRoom(dsId)).emit('typing-users', { users, resourceId, designSystemId: dsId });
  }, hub.services.typing.ttlMs + 50);
  timer.unref();
  hub.timers.set(key, timer);
}

export const typingHandlers = {
  'typing-start': on({
    schema: payload,
    limit: 'cursor',
    maxBytes: 512,
    async handle({ resourceId, designSystemId }, socket, hub) {
      const dsId = joinedDesignSystem(socket, designSystemId);
      const users = await hub.services.typing.start(dsId, resourceId, socket.data.user.id);
      hub.io.to(dsRoom(dsId)).emit('typing-users', { users, resourceId, designSystemId: dsId });
      armExpiry(hub, dsId, resourceId, socket.data.user.id);
    },
  }),

  'typing-stop': on({
    schema: payload,
    limit: 'cursor',
    maxBytes: 512,
    async handle({ resourceId, designSystemId }, socket, hub) {
      const dsId = joinedDesignSystem(socket, designSystemId);
      const users = await hub.services.typing.stop(dsId, resourceId, socket.data.user.id);
      hub.io.to(dsRoom(dsId)).emit('typing-users', { users, resourceId, designSystemId: dsId });
    },
  }),
};
