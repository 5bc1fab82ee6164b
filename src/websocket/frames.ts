// Fan-out writes one message to many connections: build its WebSocket frame once and hand the same
// bytes to every socket, as Socket.IO does for its own string broadcasts. Each write checks that
// nothing is queued ahead of it (so per-connection order holds) and falls back to the library's own
// send otherwise.
import * as wsModule from 'ws';
import { WebSocket } from 'ws';
import type { HubSocket } from './types.ts';

/** A complete WebSocket frame (header and payload), ready to write. */
export type Frame = readonly Buffer[];

/** The parts of `ws` internals a pre-built frame needs (the same ones engine.io relies on). */
interface FrameSender {
  _state?: number;
  sendFrame(frame: Frame, cb?: (err?: Error) => void): void;
}

const senderOf = (ws: unknown): FrameSender | null => {
  const sender = (ws as { _sender?: FrameSender } | undefined)?._sender;
  return sender && typeof sender.sendFrame === 'function' && !sender._state ? sender : null;
};

type SenderClass = { frame(data: Buffer, options: object): Buffer[] };
// `Sender` is a named export of ws's ES module entry and a property of the class in its CommonJS one.
const Sender = ((wsModule as unknown as { Sender?: SenderClass }).Sender ?? (WebSocket as unknown as { Sender: SenderClass }).Sender) as SenderClass;

const frame = (data: Buffer, opcode: 1 | 2): Frame => Sender.frame(data, { fin: true, rsv1: false, opcode, mask: false, readOnly: false });

/** A binary frame for raw `ws` connections (the y-websocket endpoint). */
export const binaryFrame = (message: Uint8Array): Frame => frame(Buffer.from(message.buffer, message.byteOffset, message.byteLength), 2);

/** Writes a pre-built frame to a `ws` connection; false when it must go through `ws.send`. */
export function writeFrame(ws: WebSocket, built: Frame): boolean {
  if (ws.readyState !== WebSocket.OPEN) return true;
  const sender = senderOf(ws);
  if (!sender) return false;
  sender.sendFrame(built);
  return true;
}

/**
 * A Socket.IO event on the main namespace, without binary parts or ack, as one text frame: the
 * engine.io message type `4`, then the socket.io packet type EVENT `2`, then the JSON array
 * `[event, payload]` (what socket.io-parser's encoder writes for such a packet).
 */
export const socketIoEventFrame = (event: string, payload: unknown): Frame => frame(Buffer.from(`42${JSON.stringify([event, payload])}`), 1);

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
