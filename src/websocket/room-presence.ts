// A connection entering and leaving a design system's presence, and what the room is told: the same
// for a Socket.IO member and a y-websocket connection to one of the design system's documents.
import type { PresenceEntry, PresenceUser } from '../services/realtime/presence.service.ts';
import { dsRoom, type Hub, type HubSocket } from './types.ts';

/** Tells the room everyone's presence. */
export async function announcePresence(hub: Hub, dsId: string): Promise<void> {
  hub.io
    .to(dsRoom(dsId))
    .emit('presence-update', { users: await hub.services.presence.list(dsId), designSystemId: dsId });
}

/** Counts a connection in the presence (`user-joined` on the user's first, to all but `connectionId`); returns the room's presence. */
export async function enterPresence(
  hub: Hub,
  dsId: string,
  user: PresenceUser,
  connectionId: string,
  viewing: string[],
): Promise<PresenceEntry[]> {
  const { presence } = hub.services;
  const before = (await presence.list(dsId)).some((e) => e.user.id === user.id);
  const users = await presence.join(dsId, user, connectionId, viewing);
  if (!before) hub.io.to(dsRoom(dsId)).except(connectionId).emit('user-joined', { user, designSystemId: dsId });
  hub.io.to(dsRoom(dsId)).emit('presence-update', { users, designSystemId: dsId });
  return users;
}

/** Stops counting a connection (`user-left` after the user's last). */
export async function leavePresence(hub: Hub, dsId: string, userId: string, connectionId: string): Promise<void> {
  if (await hub.services.presence.leave(dsId, userId, connectionId))
    hub.io.to(dsRoom(dsId)).emit('user-left', { userId, designSystemId: dsId });
  await announcePresence(hub, dsId);
}

/** The documents of design system `dsId` a Socket.IO connection has subscribed to, sorted. */
export const viewingOf = (socket: HubSocket, dsId: string): string[] =>
  [...socket.data.docSystems]
    .filter(([, ds]) => ds === dsId)
    .map(([name]) => name)
    .sort();

/** After a Socket.IO connection (un)subscribed a document of `dsId`: its presence shows it, if it joined that design system. */
export async function refreshViewing(hub: Hub, socket: HubSocket, dsId: string): Promise<void> {
  if (!socket.data.designSystems.has(dsId)) return;
  await hub.services.presence.view(dsId, socket.data.user.id, socket.id, viewingOf(socket, dsId));
  await announcePresence(hub, dsId);
}
