// A raw `ws` client for Hocuspocus's protocol: y-websocket's sync messages, each prefixed with
// the document name (Hocuspocus multiplexes documents over one socket), and an Auth frame
// before anything else. Message types are those of @hocuspocus/server's MessageType.
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import { handleSync, openSyncSocket, SYNC_STEP_1, SYNC_UPDATE } from './sync-socket.ts';
import type { DocSink, Transport, TransportStats } from './transport.ts';

const SYNC = 0;
const AUTH = 2;
const SYNC_REPLY = 4;
const AUTH_TOKEN = 0;

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
  return openSyncSocket(url, stats, {
    onOpen(socket) {
      socket.send(
        frame(docName, (encoder) => {
          encoding.writeVarUint(encoder, AUTH);
          encoding.writeVarUint(encoder, AUTH_TOKEN);
          encoding.writeVarString(encoder, 'bench');
        }),
      );
      socket.send(syncFrame(docName, SYNC_STEP_1, sink.stateVector()));
    },
    onMessage(decoder, socket, markReady) {
      decoding.readVarString(decoder); // document name: one document per socket here
      const type = decoding.readVarUint(decoder);
      if (type !== SYNC && type !== SYNC_REPLY) return; // auth, sync status acks, awareness
      handleSync(decoder, sink, (subType, payload) => socket.send(syncFrame(docName, subType, payload)), markReady);
    },
    updateFrame: (update) => syncFrame(docName, SYNC_UPDATE, update),
  });
}
