// The y-websocket endpoint `/yjs/<docName>` on the web server's port: the upgrade is authenticated
// (token in `?token=`, or `Authorization: Bearer`) and authorised before the WebSocket exists;
// a refusal is a plain HTTP answer with the error shape.
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';
import type { Config } from '../../config/config.ts';
import { bearer } from '../../middleware/authenticate.ts';
import type { Services } from '../../services/index.ts';
import { can } from '../../services/policy.ts';
import { AppError } from '../../utils/errors.ts';
import { toPublicError } from '../../utils/error-mapper.ts';
import { originAllowed } from '../handshake.ts';
import { yjsLimits } from './yjs-budget.ts';
import type { YjsRooms } from './yjs-rooms.ts';

const PREFIX = '/yjs/';

function refuse(socket: Duplex, err: unknown): void {
  const { status, code, message } = toPublicError(err);
  const body = JSON.stringify({ error: { code, message } });
  socket.end(
    `HTTP/1.1 ${status} ${code}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
}

/** Handles upgrades under `/yjs/`; other upgrades are left to Socket.IO. */
export function attachYjsEndpoint(http: Server, services: Services, config: Config, rooms: YjsRooms): WebSocketServer {
  const maxPayload = config.MAX_DOC_UPDATE_BYTES * 2 + 64 * 1024;
  const wss = new WebSocketServer({ noServer: true, perMessageDeflate: false, maxPayload });
  const limits = yjsLimits(config, maxPayload);
  http.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    if (!req.url?.startsWith(PREFIX)) return;
    void (async () => {
      const url = new URL(req.url ?? '/', 'http://localhost');
      if (!originAllowed(req.headers.origin, config.CORS_ORIGINS, req.headers.host))
        throw new AppError('forbidden', 'This origin may not connect');
      const name = decodeURIComponent(url.pathname.slice(PREFIX.length));
      const credential = url.searchParams.get('token') ?? bearer(req.headers.authorization);
      if (!credential) throw new AppError('unauthenticated', 'Pass ?token=<access token or API key>');
      const { actor, session } = await services.authenticator.connect(credential);
      const owner = await services.documents.authorize(actor, name, 'read');
      const principal = actor.kind === 'user' ? `user:${actor.userId}` : `apikey:${actor.apiKeyId}`;
      const id = randomUUID();
      await services.connections.open(principal, id);
      wss.handleUpgrade(req, socket, head, (ws) => {
        rooms
          .accept(ws, name, {
            id,
            actor,
            session,
            principal,
            readOnly: !can(actor, 'designSystem:write', owner),
            limits,
          })
          .catch((err: unknown) => {
            ws.close(1011, toPublicError(err).code);
          });
      });
    })().catch((err: unknown) => refuse(socket, err));
  });
  return wss;
}
