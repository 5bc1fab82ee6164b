// WebSocket upgrades for paths nothing serves are answered `400` and closed at once, instead of
// being left open (Socket.IO and the y-websocket endpoint each take only their own path, so an
// upgrade to any other path would otherwise hang until the client gave up).
import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';

/** Refuses upgrades whose path is not under one of `prefixes`. */
export function refuseOtherUpgrades(http: Server, prefixes: readonly string[]): void {
  http.on('upgrade', (req: IncomingMessage, socket: Duplex) => {
    const path = (req.url ?? '/').split('?')[0] as string;
    if (prefixes.some((prefix) => path.startsWith(prefix))) return;
    const body = JSON.stringify({
      error: {
        code: 'not_found',
        message: 'Nothing accepts WebSocket connections here: use /socket.io/ or /yjs/<document>',
      },
    });
    socket.end(
      `HTTP/1.1 400 Bad Request\r\nConnection: close\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
    );
  });
}
