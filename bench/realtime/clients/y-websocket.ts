// A raw `ws` client speaking y-websocket's framing (lib0 varints, y-protocols/sync message types)
// without WebsocketProvider: no BroadcastChannel, no awareness timer, no reconnect logic.
// With `relay: true` (bare ws relay) there is no server state to sync with: the client is ready
// once the socket opens and only ever sends update messages.
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import { handleSync, openSyncSocket, SYNC_STEP_1, SYNC_UPDATE } from './sync-socket.ts';
import type { DocSink, Transport, TransportStats } from './transport.ts';

const MESSAGE_SYNC = 0;

export function syncMessage(subType: number, payload: Uint8Array): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, MESSAGE_SYNC);
  encoding.writeVarUint(encoder, subType);
  encoding.writeVarUint8Array(encoder, payload);
  return encoding.toUint8Array(encoder);
}

export function connectYWebsocket(
  url: string,
  sink: DocSink,
  stats: TransportStats,
  options: { relay: boolean },
): Transport {
  return openSyncSocket(url, stats, {
    onOpen(socket, markReady) {
      if (options.relay) markReady();
      else socket.send(syncMessage(SYNC_STEP_1, sink.stateVector()));
    },
    onMessage(decoder, socket, markReady) {
      if (decoding.readVarUint(decoder) !== MESSAGE_SYNC) return; // awareness: not part of the workload
      handleSync(decoder, sink, (subType, payload) => socket.send(syncMessage(subType, payload)), markReady);
    },
    updateFrame: (update) => syncMessage(SYNC_UPDATE, update),
  });
}
