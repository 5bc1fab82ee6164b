// Server 1, the floor: a bare `ws` relay. Room = URL path; every binary message is forwarded
// as-is to the other connections of the same room. No parsing, no Yjs.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';

const rooms = new Map<string, Set<WebSocket>>();
const http = createServer((_req, res) => res.end('ws relay'));
const wss = new WebSocketServer({ server: http, perMessageDeflate: false });

wss.on('connection', (socket, request) => {
  const name = (request.url ?? '/').split('?')[0] ?? '/';
  let room = rooms.get(name);
  if (!room) rooms.set(name, (room = new Set()));
  const members = room;
  members.add(socket);
  socket.on('message', (data, isBinary) => {
    for (const other of members) if (other !== socket) other.send(data, { binary: isBinary });
  });
  socket.on('close', () => members.delete(socket));
});

http.listen(0, '127.0.0.1', () => {
  process.stdout.write(`LISTENING ${(http.address() as AddressInfo).port}\n`);
});
