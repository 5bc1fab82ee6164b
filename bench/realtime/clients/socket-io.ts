// socket.io-client connections: one Manager per client (forceNew), WebSocket transport only,
// no reconnection. The bare relay's updates travel as binary attachments (each emit = 2 WebSocket
// frames); Ensemble's as base64 strings (one frame) or binary, as the client subscribes.
import { io, type Socket } from 'socket.io-client';
import type { DocSink, Transport, TransportStats } from './transport.ts';

type Ack =
  | { ok: true; data?: { state?: Uint8Array | string } }
  | { ok: false; error?: { code?: string; message?: string } };

function open(baseUrl: string, auth?: Record<string, string>): Socket {
  return io(baseUrl, {
    transports: ['websocket'],
    forceNew: true,
    reconnection: false,
    // Handed to `ws` as-is; the typings only know the object form.
    perMessageDeflate: false as unknown as { threshold: number },
    timeout: 30_000,
    ...(auth ? { auth } : {}),
  });
}

const asBytes = (data: Uint8Array | ArrayBuffer): Uint8Array =>
  data instanceof Uint8Array ? data : new Uint8Array(data);

function watchFailures(
  socket: Socket,
  stats: TransportStats,
  reject: (err: Error) => void,
  isClosing: () => boolean,
): void {
  socket.on('connect_error', (err) => reject(err));
  socket.on('disconnect', (reason) => {
    reject(new Error(`disconnected before ready (${reason})`));
    if (!isClosing()) {
      stats.failures++;
      stats.lastFailure = `disconnected: ${reason}`;
    }
  });
}

/** Bare relay (servers/sio-relay.ts): 'join' a room, then raw updates as 'u'. */
export function connectSocketIoRelay(
  baseUrl: string,
  docName: string,
  sink: DocSink,
  stats: TransportStats,
): Transport {
  const socket = open(baseUrl);
  let closing = false;
  const ready = new Promise<void>((resolve, reject) => {
    socket.on('connect', () => socket.emit('join', docName, () => resolve()));
    watchFailures(socket, stats, reject, () => closing);
  });
  socket.on('u', (update: Uint8Array | ArrayBuffer) => sink.onUpdate(asBytes(update)));
  return {
    ready,
    send: (update) => socket.emit('u', update),
    close: () => {
      closing = true;
      socket.disconnect();
    },
  };
}

const toBytes = (data: Uint8Array | ArrayBuffer | string): Uint8Array =>
  typeof data === 'string' ? Buffer.from(data, 'base64') : asBytes(data);

/** Ensemble's documented Socket.IO document events: doc-subscribe / doc-update. */
export function connectEnsembleSocketIo(
  baseUrl: string,
  docName: string,
  token: string,
  sink: DocSink,
  stats: TransportStats,
  encoding: 'base64' | 'binary',
): Transport {
  const socket = open(baseUrl, { token });
  let closing = false;
  const ready = new Promise<void>((resolve, reject) => {
    socket.on('connect', () =>
      socket.emit('doc-subscribe', { docName, encoding }, (ack: Ack) => {
        if (!ack.ok) return reject(new Error(`doc-subscribe refused: ${JSON.stringify(ack.error)}`));
        const state = ack.data?.state;
        if (state) sink.onSyncState(toBytes(state));
        resolve();
      }),
    );
    watchFailures(socket, stats, reject, () => closing);
  });
  socket.on('doc-update', (message: { docName: string; update: Uint8Array | ArrayBuffer | string }) => {
    if (message.docName === docName) sink.onUpdate(toBytes(message.update));
  });
  const onAck = (ack: Ack): void => {
    if (ack.ok) return;
    stats.failures++;
    stats.lastFailure = `doc-update refused: ${JSON.stringify(ack.error)}`;
  };
  return {
    ready,
    send: (update) =>
      socket.emit(
        'doc-update',
        { docName, update: encoding === 'base64' ? Buffer.from(update).toString('base64') : update },
        onAck,
      ),
    close: () => {
      closing = true;
      socket.disconnect();
    },
  };
}
