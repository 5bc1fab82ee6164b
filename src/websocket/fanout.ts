// Every document change, from any transport or node, goes to this node's subscribers as soon as it
// is in the live copy (before it is durable: the sender's ack waits for that, not the peers):
// Socket.IO `doc:<name>` (binary) and `doc64:<name>` (base64) rooms and y-websocket peers. The
// update is framed once per kind of subscriber and never echoed to the connection it came from;
// a connection that does not read is held back (backpressure.ts).
import type { DocumentChange } from '../services/documents/document-change.ts';
import type { Hub } from './types.ts';
import { encodeUpdate } from './handlers/documents.handler.ts';
import { socketIoEventFrame, writeSocketIoFrame } from './frames.ts';
import { docRoom, UPDATE_ENCODINGS } from './types.ts';
import type { YjsRooms } from './yjs/yjs-rooms.ts';
import type { SlowReaders } from './backpressure.ts';

/** Subscribes the fan-out to the document service; returns the unsubscribe function. */
export function startFanout(hub: Hub, yjs: YjsRooms, slow: SlowReaders): () => void {
  const sockets = hub.io.of('/');
  // A document reloaded after a failure asks every holder for what it may lack.
  const stopResync = hub.services.documents.onResyncNeeded((name) => {
    hub.io
      .to([docRoom(name, 'binary'), docRoom(name, 'base64')])
      .emit('doc-resync', { docName: name, reason: 'reloaded' });
    void yjs.resyncDocument(name).catch(() => undefined);
  });
  const relay = (change: DocumentChange): void => {
    const { name, update, origin } = change;
    const except = origin.source === 'socket' ? origin.connectionId : undefined;
    // Each kind of subscriber gets its frame built once for the room and written to each of them
    // (binary: the event and its attachment in one write). Rooms where no local connection would
    // receive the update cost nothing.
    for (const encoding of UPDATE_ENCODINGS) {
      const room = sockets.adapter.rooms.get(docRoom(name, encoding));
      if (!room || (room.size === 1 && except !== undefined && room.has(except))) continue;
      const payload = { docName: name, update: encodeUpdate(update, encoding) };
      const built = socketIoEventFrame('doc-update', payload);
      for (const id of room) {
        if (id === except) continue;
        const socket = sockets.sockets.get(id);
        if (!socket || slow.holdBack(socket, name, update.byteLength)) continue;
        if (!writeSocketIoFrame(socket, built)) socket.emit('doc-update', payload);
      }
    }
    yjs.broadcastUpdate(name, update, origin.source === 'yjs' ? origin.connectionId : undefined);
    if (origin.receivedAt !== undefined)
      hub.metrics.fanout(origin.source).observe((performance.now() - origin.receivedAt) / 1000);
  };
  // Changes accepted while one batch of socket reads is handled go out together right after it
  // (setImmediate runs once the poll phase has read every ready socket): each connection then gets
  // them in one corked write, in the order they were accepted, and nothing waits for a timer.
  // RELAY_COALESCE_MS > 0 holds them that long instead: fewer, larger writes, later.
  const coalesceMs = hub.config.RELAY_COALESCE_MS;
  let batch: DocumentChange[] = [];
  const flush = (): void => {
    const changes = batch;
    batch = [];
    for (const change of changes) relay(change);
  };
  const stopChanges = hub.services.documents.onRelay((change: DocumentChange) => {
    if (!batch.length) {
      if (coalesceMs > 0) setTimeout(flush, coalesceMs);
      else setImmediate(flush);
    }
    batch.push(change);
  });
  return () => {
    stopResync();
    stopChanges();
    flush(); // what a coalescing window still held leaves before the sockets close
  };
}
