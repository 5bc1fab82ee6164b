// Fan-out writes one message to many connections: build its WebSocket frame once and hand the same
// bytes to every socket, as Socket.IO does for its own string broadcasts. A frame is one buffer
// (header and payload together), so each connection costs one plain socket write; a Socket.IO event
// with a binary attachment is its two frames in one buffer. Each write checks that nothing is queued
// ahead of it (so per-connection order holds) and falls back to the library's own send otherwise.
import * as wsModule from 'ws';
import { WebSocket } from 'ws';
import type { HubSocket } from './types.ts';

/** Complete WebSocket frames in one buffer, ready to write. */
export type Frame = readonly [Buffer];

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

const frameParts = (data: Buffer, opcode: 1 | 2): Buffer[] => Sender.frame(data, { fin: true, rsv1: false, opcode, mask: false, readOnly: false });
const frame = (data: Buffer, opcode: 1 | 2): Frame => [Buffer.concat(frameParts(data, opcode))];

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

const isBinary = (value: unknown): value is ArrayBufferView | ArrayBuffer => ArrayBuffer.isView(value) || value instanceof ArrayBuffer;

/** socket.io-parser's deconstruction: each binary value becomes `{ _placeholder: true, num }`, in order. */
function deconstruct(value: unknown, attachments: Buffer[]): unknown {
  if (isBinary(value)) {
    attachments.push(ArrayBuffer.isView(value) ? Buffer.from(value.buffer, value.byteOffset, value.byteLength) : Buffer.from(value));
    return { _placeholder: true, num: attachments.length - 1 };
  }
  if (Array.isArray(value)) return value.map((item) => deconstruct(item, attachments));
  if (value && typeof value === 'object' && !(value instanceof Date)) {
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) out[key] = deconstruct(item, attachments);
    return out;
  }
  return value;
}

/**
 * A Socket.IO event whose payload holds binary values, as socket.io-parser encodes it: a text
 * frame `45<n>-[event, payload]` with placeholders for the bytes, then one binary frame per
 * attachment (engine.io sends those as they are). All in one buffer: one write instead of two.
 */
export const socketIoBinaryEventFrame = (event: string, payload: unknown): Frame => {
  const attachments: Buffer[] = [];
  const data = deconstruct(payload, attachments);
  const parts = frameParts(Buffer.from(`45${attachments.length}-${JSON.stringify([event, data])}`), 1);
  for (const attachment of attachments) parts.push(...frameParts(attachment, 2));
  return [Buffer.concat(parts)];
};

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
