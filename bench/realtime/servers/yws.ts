// Server 2: @y/websocket-server 0.1.1, wired exactly like its own bin (src/server.js): a ws
// server in noServer mode, `setupWSConnection` per connection, doc name = URL path.
// Persistence is off (YPERSISTENCE unset) and no callback URL is set. Differences from the bin:
// port 0 (the bin cannot report a random port) and ws 8 (the package nests ws 6 for its bin).
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setupWSConnection } from '@y/websocket-server/utils';
import { WebSocketServer } from 'ws';

const wss = new WebSocketServer({ noServer: true, perMessageDeflate: false });
const http = createServer((_req, res) => res.end('okay'));

wss.on('connection', setupWSConnection);
http.on('upgrade', (request, socket, head) => {
  wss.handleUpgrade(request, socket, head, (ws) => wss.emit('connection', ws, request));
});

http.listen(0, '127.0.0.1', () => {
  process.stdout.write(`LISTENING ${(http.address() as AddressInfo).port}\n`);
});
