// Fan-out writes one message to many connections: build its WebSocket frame once and hand the same
// bytes to every socket, as Socket.IO does for its own string broadcasts. A frame is one buffer
// (header and payload together), so each connection costs one plain socket write; a Socket.IO event
// with a binary attachment is its two frames in one buffer. Each write checks that nothing is queued
// ahead of it (so per-connection order holds) and falls back to the library's own send otherwise.
// Socket.IO acknowledgements take the same path: one frame, one write each.
//
// This is the one module that touches private internals of ws (`_sender.sendFrame`, `_sender._state`,
// `_socket`, `Sender.frame`), engine.io (`writeBuffer`, `transport.socket`) and socket.io (the
// socket's `ack` factory). Their versions are pinned exactly in package.json (one ws copy, by an
// override) and tests/unit/websocket/internals.test.ts fails on any other version or shape. The
// public path (ws.send, socket.emit, Socket.IO's own acks) is the fallback for every write, and all
// of it when SOCKET_DIRECT_FRAMES=false. Frames written here bypass Socket.IO's `onAnyOutgoing` and
// connection-state recovery's packet buffer: Ensemble uses neither (documents resync by state
// vector instead), and the hub never enables connection-state recovery.
import * as wsModule from 'ws';
import { WebSocket } from 'ws';
import { Encoder, PacketType } from 'socket.io-parser';
import type { HubSocket } from './types.ts';

let direct = true;

/** Turns the direct writes on or off (off: every write takes the library's public path). */
export function useDirectFrames(enabled: boolean): void {
  direct = enabled;
}

/** Complete WebSocket frames in one buffer, ready to write. */
export type Frame = readonly [Buffer];

/** The parts of `ws` internals a pre-built frame needs (the same ones engine.io relies on). */
interface FrameSender {
  _state?: number;
  _socket?: Corkable;
  sendFrame(frame: Frame, cb?: (err?: Error) => void): void;
}

interface Corkable {
  cork(): void;
  uncork(): void;
}

const senderOf = (ws: unknown): FrameSender | null => {
  const sender = (ws as { _sender?: FrameSender } | undefined)?._sender;
  return sender && typeof sender.sendFrame === 'function' && !sender._state ? sender : null;
};

// Connections written to during this tick stay corked until its end, so everything one burst sends
// to a connection (a group commit releases many updates at once, and their acks) leaves in one
// system call, in the order it was written — whichever code wrote it.
const corked = new Set<Corkable>();
const uncorkAll = (): void => {
  for (const socket of corked) socket.uncork();
  corked.clear();
};
function corkForTick(socket: Corkable | undefined): void {
  if (!socket || corked.has(socket)) return;
  if (!corked.size) process.nextTick(uncorkAll);
  socket.cork();
  corked.add(socket);
}

type SenderClass = { frame(data: Buffer, options: object): Buffer[] };
// `Sender` is a named export of ws's ES module entry and a property of the class in its CommonJS one.
const Sender = ((wsModule as unknown as { Sender?: SenderClass }).Sender ??
  (WebSocket as unknown as { Sender: SenderClass }).Sender) as SenderClass;

const frameParts = (data: Buffer, opcode: 1 | 2): Buffer[] =>
  Sender.frame(data, { fin: true, rsv1: false, opcode, mask: false, readOnly: false });
const frame = (data: Buffer, opcode: 1 | 2): Frame => [Buffer.concat(frameParts(data, opcode))];

/** A binary frame for raw `ws` connections (the y-websocket endpoint). */
export const binaryFrame = (message: Uint8Array): Frame =>
  frame(Buffer.from(message.buffer, message.byteOffset, message.byteLength), 2);

/** Writes a pre-built frame to a `ws` connection; false when it must go through `ws.send`. */
export function writeFrame(ws: WebSocket, built: Frame): boolean {
  if (!direct) return false;
  if (ws.readyState !== WebSocket.OPEN) return true;
  const sender = senderOf(ws);
  if (!sender) return false;
  corkForTick(sender._socket);
  sender.sendFrame(built);
  return true;
}

const encoder = new Encoder();

/**
 * A Socket.IO packet on the main namespace as engine.io writes it over WebSocket, in one buffer:
 * socket.io-parser's own encoding (the server's parser) of the packet as a text frame behind the
 * engine.io message type `4`, then, for binary values, one binary frame per attachment (engine.io
 * sends those as they are). One write instead of one per frame.
 */
function socketIoFrame(packet: { type: PacketType; id?: number; data: unknown[] }): Frame {
  const [text, ...attachments] = encoder.encode({ ...packet, nsp: '/' });
  const parts = frameParts(Buffer.from(`4${text as string}`), 1);
  for (const attachment of attachments) {
    const bytes = attachment as Buffer | Uint8Array | ArrayBuffer;
    parts.push(
      ...frameParts(
        bytes instanceof ArrayBuffer
          ? Buffer.from(bytes)
          : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength),
        2,
      ),
    );
  }
  return [Buffer.concat(parts)];
}

/** A Socket.IO event (binary values become attachments, as socket.io-parser does it). */
export const socketIoEventFrame = (event: string, payload: unknown): Frame =>
  socketIoFrame({ type: PacketType.EVENT, data: [event, payload] });

/** The acknowledgement of the client's packet `id`, carrying `args`. */
export const socketIoAckFrame = (id: number, args: unknown[]): Frame =>
  socketIoFrame({ type: PacketType.ACK, id, data: args });

interface EngineConnection {
  readyState: string;
  writeBuffer: unknown[];
  transport?: { name: string; socket?: unknown };
}

/** Writes a pre-built Socket.IO frame when nothing is queued ahead of it; false to fall back to emit. */
export function writeSocketIoFrame(socket: HubSocket, built: Frame): boolean {
  const conn = socket.conn as unknown as EngineConnection;
  if (conn.readyState !== 'open' || conn.writeBuffer.length || conn.transport?.name !== 'websocket') return false;
  const ws = conn.transport.socket as WebSocket | undefined;
  return ws !== undefined && ws.readyState === WebSocket.OPEN && writeFrame(ws, built);
}

/**
 * Bytes written to a Socket.IO connection that it has not read yet: the WebSocket's own buffer
 * (public `bufferedAmount`) plus what engine.io still queues in front of it (counted by packet, as
 * the sizes of queued packets are not kept).
 */
export function socketIoBufferedBytes(socket: HubSocket): number {
  const conn = socket.conn as unknown as EngineConnection;
  const ws = conn.transport?.name === 'websocket' ? (conn.transport.socket as WebSocket | undefined) : undefined;
  return (ws?.bufferedAmount ?? 0) + conn.writeBuffer.length * 1024;
}

interface AckingSocket {
  ack(id: number): (...args: unknown[]) => void;
}

/**
 * Sends this socket's acknowledgements as pre-built frames written straight to the connection, like
 * the fan-out: every client event here is acked, and Socket.IO's own path (packet, engine.io queue,
 * `ws` framing with a second write for the header) costs about three fan-out writes. Falls back to
 * that path whenever something is queued or the transport is not WebSocket.
 */
export function writeAcksDirectly(socket: HubSocket): void {
  if (!direct) return;
  const internal = socket as unknown as AckingSocket;
  if (socket.nsp.name !== '/' || typeof internal.ack !== 'function') return;
  const viaSocketIo = internal.ack.bind(socket);
  internal.ack = (id) => {
    let sent = false;
    return (...args) => {
      if (sent) return;
      sent = true;
      if (!writeSocketIoFrame(socket, socketIoAckFrame(id, args))) viaSocketIo(id)(...args);
    };
  };
}
