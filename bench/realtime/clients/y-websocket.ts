// A raw `ws` client speaking y-websocket's framing (lib0 varints, y-protocols/sync message types)
// without WebsocketProvider: no BroadcastChannel, no awareness timer, no reconnect logic.
// With `relay: true` (bare ws relay) there is no server state to sync with: the client is ready
// once the socket opens and only ever sends update messages.
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import { WebSocket } from 'ws';
import type { DocSink, Transport, TransportStats } from './transport.ts';

const MESSAGE_SYNC = 0;
const SYNC_STEP_1 = 0;
const SYNC_STEP_2 = 1;
const SYNC_UPDATE = 2;

export function syncMessage(subType: number, payload: Uint8Array): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, MESSAGE_SYNC);
  encoding.writeVarUint(encoder, subType);
  encoding.writeVarUint8Array(encoder, payload);
  return encoding.toUint8Array(encoder);
}

export function connectYWebsocket(url: string, sink: DocSink, stats: TransportStats, options: { relay: boolean }): Transport {
  const socket = new WebSocket(url, { perMessageDeflate: false });
  let closing = false;
  let markReady: () => void = () => {};
  let fail: (err: Error) => void = () => {};
  const ready = new Promise<void>((resolve, reject) => {
    markReady = resolve;
    fail = reject;
  });

  socket.on('open', () => {
    if (options.relay) markReady();
    else socket.send(syncMessage(SYNC_STEP_1, sink.stateVector()));
  });
  socket.on('message', (data: Buffer) => {
    const decoder = decoding.createDecoder(new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
    if (decoding.readVarUint(decoder) !== MESSAGE_SYNC) return; // awareness: not part of the workload
    switch (decoding.readVarUint(decoder)) {
      case SYNC_STEP_1:
        socket.send(syncMessage(SYNC_STEP_2, sink.stateAsUpdate(decoding.readVarUint8Array(decoder))));
        break;
      case SYNC_STEP_2:
        sink.onSyncState(decoding.readVarUint8Array(decoder));
        markReady();
        break;
      case SYNC_UPDATE:
        sink.onUpdate(decoding.readVarUint8Array(decoder));
        break;
    }
  });
  socket.on('error', (err) => fail(err));
  socket.on('close', (code) => {
    fail(new Error(`closed before sync (${code})`));
    if (!closing) {
      stats.failures++;
      stats.lastFailure = `connection closed by server (${code})`;
    }
  });

  return {
    ready,
    send: (update) => socket.send(syncMessage(SYNC_UPDATE, update)),
    close: () => {
      closing = true;
      socket.terminate();
    },
  };
}
