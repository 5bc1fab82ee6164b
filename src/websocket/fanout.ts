// Every durable document change, from any transport or node, goes to this node's subscribers:
// Socket.IO `doc:<name>` rooms and y-websocket peers. The update is encoded once per transport and
// never echoed to the connection it came from.
import type { DocumentChange } from '../services/documents/document.service.ts';
import type { Hub } from './types.ts';
import { encodeUpdate } from './handlers/documents.handler.ts';
import { socketIoEventFrame, writeSocketIoFrame } from './frames.ts';
import { docRoom } from './types.ts';
import type { YjsRooms } from './yjs/yjs-rooms.ts';

/** Subscribes the fan-out to the document service; returns the unsubscribe function. */
export function startFanout(hub: Hub, yjs: YjsRooms): () => void {
  const sockets = hub.io.of('/');
  return hub.services.documents.onChange((change: DocumentChange) => {
    const { name, update, origin } = change;
    const except = origin.source === 'socket' ? origin.connectionId : undefined;
    // Binary subscribers get one Socket.IO emit (encoded once for the room). Base64 subscribers get
    // one text frame built once and written to each of them. Rooms where no local connection would
    // receive the update cost nothing.
    const binaryRoom = sockets.adapter.rooms.get(docRoom(name, 'binary'));
    if (binaryRoom && (binaryRoom.size > 1 || except === undefined || !binaryRoom.has(except))) {
      const room = hub.io.local.to(docRoom(name, 'binary'));
      (except ? room.except(except) : room).emit('doc-update', { docName: name, update });
    }
    const base64Room = sockets.adapter.rooms.get(docRoom(name, 'base64'));
    if (base64Room && (base64Room.size > 1 || except === undefined || !base64Room.has(except))) {
      const payload = { docName: name, update: encodeUpdate(update, 'base64') };
      const built = socketIoEventFrame('doc-update', payload);
      for (const id of base64Room) {
        if (id === except) continue;
        const socket = sockets.sockets.get(id);
        if (socket && !writeSocketIoFrame(socket, built)) socket.emit('doc-update', payload);
      }
    }
    yjs.broadcastUpdate(name, update, origin.source === 'yjs' ? origin.connectionId : undefined);
    if (origin.receivedAt !== undefined) hub.metrics.fanout(origin.source).observe((performance.now() - origin.receivedAt) / 1000);
  });
}
