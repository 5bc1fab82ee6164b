// join-design-system / leave-design-system: membership checked by the policy, presence joined,
// and the joiner gets the room's presence, locks and typing state, and who it is, in the ack.
import { z } from 'zod';
import { AppError } from '../../utils/errors.ts';
import { on } from '../bind.ts';
import { enterPresence, leavePresence, viewingOf } from '../room-presence.ts';
import { dsRoom, type Hub, type HubSocket } from '../types.ts';

/** Leaves a design system's room: presence, this connection's locks, typing. */
export async function leaveDesignSystem(socket: HubSocket, hub: Hub, dsId: string): Promise<void> {
  const teamId = socket.data.designSystems.get(dsId);
  if (teamId === undefined || !socket.data.designSystems.delete(dsId)) return;
  const { typing } = hub.services;
  const room = dsRoom(dsId);
  await socket.leave(room);
  const userId = socket.data.user.id;
  for (const [componentId, lockDs] of socket.data.locks) {
    if (lockDs !== dsId) continue;
    socket.data.locks.delete(componentId);
    await hub.services.collaboration.release(socket.data.actor, {
      componentId,
      designSystemId: dsId,
      teamId,
      userId,
      connectionId: socket.id,
    });
  }
  for (const { resourceId } of await typing.state(dsId)) {
    const before = await typing.users(dsId, resourceId);
    if (before.includes(userId))
      hub.io
        .to(room)
        .emit('typing-users', { users: await typing.stop(dsId, resourceId, userId), resourceId, designSystemId: dsId });
  }
  await leavePresence(hub, dsId, userId, socket.id);
}

/** The design system a payload refers to: the one given, or the only one joined. */
export function joinedDesignSystem(socket: HubSocket, designSystemId?: string): string {
  if (designSystemId) {
    if (!socket.data.designSystems.has(designSystemId)) throw new AppError('not_joined');
    return designSystemId;
  }
  const joined = [...socket.data.designSystems.keys()];
  if (joined.length === 1) return joined[0] as string;
  throw new AppError(
    'not_joined',
    joined.length ? 'Name the designSystemId: this connection joined several' : undefined,
  );
}

export const roomHandlers = {
  'join-design-system': on({
    schema: z.object({ designSystemId: z.uuid(), token: z.string().min(1).max(4096).optional() }),
    limit: 'default',
    maxBytes: 8192,
    async handle({ designSystemId, token }, socket, hub) {
      if (token && token !== socket.data.credential) {
        const other = await hub.services.authenticator.resolve(token);
        const same =
          other.kind === socket.data.actor.kind &&
          (other.kind === 'user' ? other.userId : other.apiKeyId) === socket.data.user.id;
        if (!same) throw new AppError('invalid_token', 'The token belongs to someone else than this connection');
      }
      const ds = await hub.services.designSystems.require(socket.data.actor, designSystemId, 'designSystem:read');
      const { locks, typing } = hub.services;
      socket.data.designSystems.set(ds.id, ds.teamId);
      await socket.join(dsRoom(ds.id));
      const users = await enterPresence(hub, ds.id, socket.data.user, socket.id, viewingOf(socket, ds.id));
      return {
        designSystemId: ds.id,
        presence: users,
        locks: await locks.list(ds.id),
        typing: await typing.state(ds.id),
        self: socket.data.user,
      };
    },
  }),

  'leave-design-system': on({
    schema: z.object({ designSystemId: z.uuid() }),
    limit: 'default',
    maxBytes: 1024,
    async handle({ designSystemId }, socket, hub) {
      if (!socket.data.designSystems.has(designSystemId)) throw new AppError('not_joined');
      await leaveDesignSystem(socket, hub, designSystemId);
    },
  }),
};
