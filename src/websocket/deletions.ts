// When a team, design system, component or branch is deleted, every node closes what is connected to it:
// Socket.IO subscribers of its documents and members of its design-system rooms get
// `access-revoked` with reason `deleted` and are taken out of the rooms; y-websocket connections
// are told (permission denied) and closed with 4410.
import type { DeletedScope } from '../models/documents/doc-bus.ts';
import { leaveDesignSystem } from './handlers/rooms.handler.ts';
import { refreshViewing } from './room-presence.ts';
import { docRoom, UPDATE_ENCODINGS, type Hub, type HubSocket } from './types.ts';
import type { YjsRooms } from './yjs/yjs-rooms.ts';

async function closeDeleted(hub: Hub, yjs: YjsRooms, names: string[], scope: DeletedScope): Promise<void> {
  for (const name of names) {
    yjs.closeDocument(name, 'deleted');
    for (const encoding of UPDATE_ENCODINGS) {
      const sockets = (await hub.io.local.in(docRoom(name, encoding)).fetchSockets()) as unknown as HubSocket[];
      for (const socket of sockets) {
        const dsId = socket.data.docSystems.get(name);
        socket.data.docs.delete(name);
        socket.data.docSystems.delete(name);
        hub.awareness.leave(name, socket.id);
        await socket.leave(docRoom(name, encoding));
        socket.emit('access-revoked', { docName: name, reason: 'deleted' });
        if (dsId && ('componentId' in scope || 'branchId' in scope))
          await refreshViewing(hub, socket, dsId).catch(() => undefined);
      }
    }
  }
  if ('componentId' in scope || 'branchId' in scope) return;
  for (const socket of hub.io.of('/').sockets.values() as Iterable<HubSocket>) {
    for (const [dsId, teamId] of [...socket.data.designSystems]) {
      if (
        ('designSystemId' in scope && scope.designSystemId === dsId) ||
        ('teamId' in scope && scope.teamId === teamId)
      ) {
        await leaveDesignSystem(socket, hub, dsId).catch(() => undefined);
        socket.emit('access-revoked', { designSystemId: dsId, reason: 'deleted' });
      }
    }
  }
}

/** Closes the connections of deleted documents and design systems, on this node. */
export function watchDeletions(hub: Hub, yjs: YjsRooms): () => void {
  return hub.services.documents.onForgotten((names, scope) => {
    void closeDeleted(hub, yjs, names, scope).catch((err: unknown) =>
      hub.logger.warn({ err }, 'closing deleted documents failed'),
    );
  });
}
