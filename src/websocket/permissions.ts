// Live permissions: when a member joins, is removed or demoted, or an API key revoked, every open
// connection of theirs — on every node — re-checks its credential and rooms within seconds.
import { can } from '../services/policy.ts';
import { leaveDesignSystem } from './handlers/rooms.handler.ts';
import { unsubscribeDocument } from './handlers/documents.handler.ts';
import type { Hub, HubSocket } from './types.ts';
import type { YjsRooms } from './yjs/yjs-rooms.ts';

const REFRESH = 'ensemble:refresh-principal';

async function refreshSocket(hub: Hub, socket: HubSocket): Promise<void> {
  try {
    socket.data.actor = await hub.services.authenticator.recheck(socket.data.session);
  } catch {
    socket.emit('access-revoked', { reason: 'credential_revoked' });
    socket.disconnect(true);
    return;
  }
  const actor = socket.data.actor;
  for (const [dsId, teamId] of [...socket.data.designSystems]) {
    if (!can(actor, 'designSystem:read', { teamId })) {
      await leaveDesignSystem(socket, hub, dsId);
      socket.emit('access-revoked', { designSystemId: dsId, reason: 'membership_removed' });
    }
  }
  for (const name of [...socket.data.docs.keys()]) {
    const owner = await hub.services.documents.owner(name).catch(() => null);
    if (!owner || !can(actor, 'designSystem:read', owner)) {
      await unsubscribeDocument(socket, hub, name);
      socket.emit('access-revoked', { docName: name, reason: 'membership_removed' });
    }
  }
}

/** Re-checks this node's connections of a principal (`user:<id>` or `apikey:<id>`). */
async function refreshLocal(hub: Hub, yjs: YjsRooms, principal: string): Promise<void> {
  const sockets = (await hub.io.local.in(principal).fetchSockets()) as unknown as HubSocket[];
  await Promise.all(sockets.map((s) => refreshSocket(hub, s)));
  await yjs.refresh(principal);
}

/** Wires membership and key events to the refresh, across nodes when clustered. */
export function watchPermissions(hub: Hub, yjs: YjsRooms): void {
  const refresh = (principal: string) => {
    void refreshLocal(hub, yjs, principal).catch((err: unknown) =>
      hub.logger.error({ err }, 'permission refresh failed'),
    );
    if (hub.clustered) hub.io.serverSideEmit(REFRESH, principal);
  };
  hub.io.on(REFRESH as 'connection', ((principal: string) => void refreshLocal(hub, yjs, principal)) as never);
  // Joining a team (added, an invitation accepted, a team of one's own made) widens what a
  // connection may do: its roles are read afresh too, so nobody has to reconnect.
  hub.services.events.on('member.added', ({ payload }) => refresh(`user:${payload.userId}`));
  hub.services.events.on('team.created', ({ actor }) => {
    if (actor.userId) refresh(`user:${actor.userId}`);
  });
  hub.services.events.on('member.removed', ({ payload }) => refresh(`user:${payload.userId}`));
  hub.services.events.on('member.roleChanged', ({ payload }) => refresh(`user:${payload.userId}`));
  hub.services.events.on('apiKey.revoked', ({ payload }) => refresh(`apikey:${payload.apiKeyId}`));
}
