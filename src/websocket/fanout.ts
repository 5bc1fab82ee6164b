// Every durable document change, from any transport or node, goes to this node's subscribers:
// Socket.IO `doc:<name>` rooms and y-websocket peers. The update is encoded once per transport and
// never echoed to the connection it came from.
import type { DocumentChange } from '../services/documents/document.service.ts';
import type { Hub } from './types.ts';
import { docRoom } from './types.ts';
import type { YjsRooms } from './yjs/yjs-rooms.ts';

/** Subscribes the fan-out to the document service; returns the unsubscribe function. */
export function startFanout(hub: Hub, yjs: YjsRooms): () => void {
  return hub.services.documents.onChange((change: DocumentChange) => {
    const { name, update, origin } = change;
    const except = origin.source === 'socket' ? origin.connectionId : undefined;
    // Encoding a Socket.IO packet is not free: skip it when no local connection would receive it.
    const members = hub.io.of('/').adapter.rooms.get(docRoom(name));
    if (members && (members.size > 1 || !except || !members.has(except))) {
      const room = hub.io.local.to(docRoom(name));
      (except ? room.except(except) : room).emit('doc-update', { docName: name, update });
    }
    yjs.broadcastUpdate(name, update, origin.source === 'yjs' ? origin.connectionId : undefined);
    if (origin.receivedAt !== undefined) hub.metrics.fanout(origin.source).observe((performance.now() - origin.receivedAt) / 1000);
  });
}
