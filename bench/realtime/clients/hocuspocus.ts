// A raw `ws` client for Hocuspocus's protocol: y-websocket's sync messages, each prefixed with
// the document name (Hocuspocus multiplexes documents over one socket), and an Auth frame
// before anything else. Message types are those of @hocuspocus/server's MessageType.
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import { WebSocket } from 'ws';
import type { DocSink, Transport, TransportStats } from './transport.ts';

const SYNC = 0;
const AUTH = 2;
const SYNC_REPLY = 4;
const AUTH_TOKEN = 0;
const SYNC_STEP_1 = 0;
const SYNC_STEP_2 = 1;
const SYNC_UPDATE = 2;

function frame(docName: string, write: (encoder: encoding.Encoder) => void): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarString(encoder, docName);
  write(encoder);
  return encoding.toUint8Array(encoder);
}

function syncFrame(docName: string, subType: number, payload: Uint8Array): Uint8Array {
  return frame(docName, (encoder) => {
    encoding.writeVarUint(encoder, SYNC);
    encoding.writeVarUint(encoder, subType);
    encoding.writeVarUint8Array(encoder, payload);
  });
}

export function connectHocuspocus(url: string, docName: string, sink: DocSink, stats: TransportStats): Transport {
  const socket = new WebSocket(url, { perMessageDeflate: false });
  let closing = false;
  let markReady: () => void = () => {};
  let fail: (err: Error) => void = () => {};
  const ready = new Promise<void>((resolve, reject) => {
    markReady = resolve;
    fail = reject;
  });

  socket.on('open', () => {
    socket.send(
      frame(docName, (encoder) => {
        encoding.writeVarUint(encoder, AUTH);
        encoding.writeVarUint(encoder, AUTH_TOKEN);
        encoding.writeVarString(encoder, 'bench');
      }),
    );
    socket.send(syncFrame(docName, SYNC_STEP_1, sink.stateVector()));
  });
  socket.on('message', (data: Buffer) => {
    const decoder = decoding.createDecoder(new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
    decoding.readVarString(decoder); // document name: one document per socket here
    const type = decoding.readVarUint(decoder);
    if (type !== SYNC && type !== SYNC_REPLY) return; // auth, sync status acks, awareness
    switch (decoding.readVarUint(decoder)) {
      case SYNC_STEP_1:
        socket.send(syncFrame(docName, SYNC_STEP_2, sink.stateAsUpdate(decoding.readVarUint8Array(decoder))));
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
    send: (update) => socket.send(syncFrame(docName, SYNC_UPDATE, update)),
    close: () => {
      closing = true;
      socket.terminate();
    },
  };
}
