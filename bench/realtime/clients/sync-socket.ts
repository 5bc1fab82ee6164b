// The part the y-websocket and Hocuspocus clients share: a `ws` socket whose readiness follows the
// y-protocols sync handshake, and the handling of one sync message (step 1, step 2, update).
import * as decoding from 'lib0/decoding';
import { WebSocket } from 'ws';
import type { DocSink, Transport, TransportStats } from './transport.ts';

export const SYNC_STEP_1 = 0;
export const SYNC_STEP_2 = 1;
export const SYNC_UPDATE = 2;

/** Handles a sync message whose sub-type comes next in `decoder`; `reply` sends a sync message back. */
export function handleSync(
  decoder: decoding.Decoder,
  sink: DocSink,
  reply: (subType: number, payload: Uint8Array) => void,
  markReady: () => void,
): void {
  switch (decoding.readVarUint(decoder)) {
    case SYNC_STEP_1:
      reply(SYNC_STEP_2, sink.stateAsUpdate(decoding.readVarUint8Array(decoder)));
      break;
    case SYNC_STEP_2:
      sink.onSyncState(decoding.readVarUint8Array(decoder));
      markReady();
      break;
    case SYNC_UPDATE:
      sink.onUpdate(decoding.readVarUint8Array(decoder));
      break;
  }
}

export interface SyncSocketHooks {
  onOpen(socket: WebSocket, markReady: () => void): void;
  onMessage(decoder: decoding.Decoder, socket: WebSocket, markReady: () => void): void;
  /** The frame that carries one of our updates. */
  updateFrame(update: Uint8Array): Uint8Array;
}

/** Opens the socket; ready once synced, failing if it closes first; unexpected closes are counted. */
export function openSyncSocket(url: string, stats: TransportStats, hooks: SyncSocketHooks): Transport {
  const socket = new WebSocket(url, { perMessageDeflate: false });
  let closing = false;
  let markReady: () => void = () => {};
  let fail: (err: Error) => void = () => {};
  const ready = new Promise<void>((resolve, reject) => {
    markReady = resolve;
    fail = reject;
  });
  socket.on('open', () => hooks.onOpen(socket, markReady));
  socket.on('message', (data: Buffer) =>
    hooks.onMessage(
      decoding.createDecoder(new Uint8Array(data.buffer, data.byteOffset, data.byteLength)),
      socket,
      markReady,
    ),
  );
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
    send: (update) => socket.send(hooks.updateFrame(update)),
    close: () => {
      closing = true;
      socket.terminate();
    },
  };
}
