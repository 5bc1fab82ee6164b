// Every durable document change, from any transport or node, goes to this node's subscribers:
// Socket.IO `doc:<name>` rooms and y-websocket peers. The update is encoded once per transport and
// never echoed to the connection it came from.
import type { DocumentChange } from '../services/documents/document.service.ts';
import type { Hub } from './types.ts';
import { encodeUpdate } from './handlers/documents.handler.ts';
import { docRoom, UPDATE_ENCODINGS } from './types.ts';
import type { YjsRooms } from './yjs/yjs-rooms.ts';

/** Subscribes the fan-out to the document service; returns the unsubscribe function. */
export function startFanout(hub: Hub, yjs: YjsRooms): () => void {
  return hub.services.documents.onChange((change: DocumentChange) => {
    const { name, update, origin } = change;
    const except = origin.source === 'socket' ? origin.connectionId : undefined;
    // One emit per encoding room: Socket.IO encodes the packet once for all of its members (a
    // string packet even as one pre-built WebSocket frame). Encoding is not free, so rooms where no
    // local connection would receive the update are skipped.
    for (const encoding of UPDATE_ENCODINGS) {
      const members = hub.io.of('/').adapter.rooms.get(docRoom(name, encoding));
      if (!members || (members.size === 1 && except !== undefined && members.has(except))) continue;
      const room = hub.io.local.to(docRoom(name, encoding));
      (except ? room.except(except) : room).emit('doc-update', { docName: name, update: encodeUpdate(update, encoding) });
    }
    yjs.broadcastUpdate(name, update, origin.source === 'yjs' ? origin.connectionId : undefined);
    if (origin.receivedAt !== undefined) hub.metrics.fanout(origin.source).observe((performance.now() - origin.receivedAt) / 1000);
  });
}
