// Server 4: a bare Socket.IO room broadcast. A client joins one room per document ('join', with
// an ack) and every 'u' payload is re-emitted to the rest of the room. No Yjs on the server.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Server } from 'socket.io';

const http = createServer();
const io = new Server(http, { transports: ['websocket'], serveClient: false, perMessageDeflate: false });

io.on('connection', (socket) => {
  let room: string | undefined;
  socket.on('join', (name: string, ack?: () => void) => {
    room = name;
    void socket.join(name);
    ack?.();
  });
  socket.on('u', (update: Buffer) => {
    if (room !== undefined) socket.to(room).emit('u', update);
  });
});

http.listen(0, '127.0.0.1', () => {
  process.stdout.write(`LISTENING ${(http.address() as AddressInfo).port}\n`);
});
