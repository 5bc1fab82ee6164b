// The private internals src/websocket/frames.ts relies on, checked against the exact versions it was
// written for: an upgrade of ws, engine.io, socket.io or socket.io-parser fails here, loudly, before
// anything else can go quietly wrong. Then the public path it falls back to is exercised.
import { existsSync, readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from '@jest/globals';
import { Server } from 'socket.io';
import { io as connectClient } from 'socket.io-client';
import * as wsModule from 'ws';
import { WebSocket, WebSocketServer } from 'ws';
import { binaryFrame, useDirectFrames, writeFrame } from '../../../src/websocket/frames.ts';

const ROOT = new URL('../../../', import.meta.url).pathname;
/** The version of `pkg` installed at `node_modules/<under>/node_modules/<pkg>` (or the top level). */
const versionOf = (pkg: string, under?: string) =>
  (
    JSON.parse(
      readFileSync(`${ROOT}node_modules/${under ? `${under}/node_modules/` : ''}${pkg}/package.json`, 'utf8'),
    ) as { version: string }
  ).version;

describe('the internals frames.ts writes through', () => {
  it('are the pinned versions, with one copy of ws', () => {
    expect({
      ws: versionOf('ws'),
      'engine.io': versionOf('engine.io'),
      'socket.io': versionOf('socket.io'),
      'socket.io-parser': versionOf('socket.io-parser'),
    }).toEqual({
      ws: '8.23.0',
      'engine.io': '6.6.12',
      'socket.io': '4.8.4',
      'socket.io-parser': '4.2.7',
    });
    // engine.io resolves the same ws (the override), so one Sender.frame serves both.
    expect(existsSync(`${ROOT}node_modules/engine.io/node_modules/ws`)).toBe(false);
  });

  it("have the shapes it uses: ws's Sender.frame and _sender, engine.io's writeBuffer and transport.socket, socket.io's ack", async () => {
    const Sender = ((wsModule as unknown as { Sender?: { frame?: unknown } }).Sender ??
      (WebSocket as unknown as { Sender: { frame?: unknown } }).Sender) as { frame?: unknown };
    expect(typeof Sender.frame).toBe('function');
    const http = createServer();
    const io = new Server(http);
    await new Promise<void>((ok) => http.listen(0, '127.0.0.1', ok));
    const connected = new Promise<{ conn: Record<string, unknown>; ack?: unknown }>((ok) =>
      io.on('connection', (s) => ok(s as unknown as { conn: Record<string, unknown>; ack?: unknown })),
    );
    const client = connectClient(`http://127.0.0.1:${(http.address() as AddressInfo).port}`, {
      transports: ['websocket'],
    });
    const socket = await connected;
    const conn = socket.conn as {
      writeBuffer?: unknown;
      readyState?: unknown;
      transport?: {
        name?: string;
        socket?: { _sender?: { sendFrame?: unknown; _state?: unknown }; _socket?: { cork?: unknown } };
      };
    };
    expect(Array.isArray(conn.writeBuffer)).toBe(true);
    expect(conn.readyState).toBe('open');
    expect(conn.transport?.name).toBe('websocket');
    expect(typeof conn.transport?.socket?._sender?.sendFrame).toBe('function');
    expect(conn.transport?.socket?._sender?._state).toBe(0);
    expect(typeof conn.transport?.socket?._socket?.cork).toBe('function');
    expect(typeof socket.ack).toBe('function');
    client.close();
    await new Promise<void>((ok) => io.close(() => ok()));
  });

  it('fall back to the public path when turned off: nothing is written directly, ws.send carries it', async () => {
    const wss = new WebSocketServer({ port: 0, host: '127.0.0.1' });
    await new Promise<void>((ok) => wss.once('listening', () => ok()));
    const serverSide = new Promise<WebSocket>((ok) => wss.once('connection', ok));
    const client = new WebSocket(`ws://127.0.0.1:${(wss.address() as AddressInfo).port}`);
    const ws = await serverSide;
    const received = new Promise<Buffer>((ok) => client.once('message', (d: Buffer) => ok(d)));
    try {
      useDirectFrames(false);
      const built = binaryFrame(new Uint8Array([1, 2, 3]));
      expect(writeFrame(ws, built)).toBe(false);
      ws.send(new Uint8Array([1, 2, 3]));
      expect([...(await received)]).toEqual([1, 2, 3]);
    } finally {
      useDirectFrames(true);
      client.close();
      wss.close();
    }
  });
});
