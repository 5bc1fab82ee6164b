// A connection's sign-in, kept honest for as long as it is open. Before the access token expires
// the server asks for a fresh one (`reauth`); a connection that does not present one is closed when
// the token runs out, and nothing it sends in between is accepted. A session that ends (logout,
// refresh-token reuse) closes its connections on every node within moments.
import type { ConnectionSession } from '../services/auth/authenticate.ts';
import type { Hub, HubSocket } from './types.ts';
import type { YjsRooms } from './yjs/yjs-rooms.ts';

const SESSION_ENDED = 'ensemble:session-ended';

/** How long before expiry a connection is asked for a fresh token: 30 s, or a quarter of a short token's life. */
const reauthLead = (msLeft: number) => Math.min(30_000, Math.max(0, msLeft / 4));

/** Whether the connection's access token has run out (API keys do not). */
export const sessionExpired = (session: ConnectionSession, now = Date.now()): boolean =>
  session.kind === 'user' && now >= session.expiresAt;

/** Arms (or re-arms after a reauth) the reauth request and the close at expiry of a Socket.IO connection. */
export function armExpiry(socket: HubSocket): void {
  for (const timer of socket.data.expiry) clearTimeout(timer);
  socket.data.expiry = [];
  const session = socket.data.session;
  if (session.kind !== 'user') return;
  const left = session.expiresAt - Date.now();
  const ask = setTimeout(
    () => socket.emit('reauth', { expiresAt: new Date(session.expiresAt).toISOString() }),
    Math.max(0, left - reauthLead(left)),
  );
  const close = setTimeout(
    () => {
      socket.emit('error', { code: 'token_expired', message: 'The access token expired; reconnect with a fresh one' });
      socket.disconnect(true);
    },
    Math.max(0, left),
  );
  socket.data.expiry = [ask, close];
}

async function endLocal(hub: Hub, yjs: YjsRooms, userId: string, sessionId: string): Promise<void> {
  const sockets = (await hub.io.local.in(`user:${userId}`).fetchSockets()) as unknown as HubSocket[];
  for (const socket of sockets) {
    if (socket.data.session.kind !== 'user' || socket.data.session.sessionId !== sessionId) continue;
    socket.emit('access-revoked', { reason: 'session_revoked' });
    socket.disconnect(true);
  }
  yjs.endSession(sessionId);
}

/** Closes an ended session's connections, on every node. */
export function watchSessions(hub: Hub, yjs: YjsRooms): void {
  const end = (userId: string, sessionId: string) =>
    void endLocal(hub, yjs, userId, sessionId).catch((err: unknown) =>
      hub.logger.warn({ err }, 'closing an ended session failed'),
    );
  hub.io.on(
    SESSION_ENDED as 'connection',
    ((p: { userId: string; sessionId: string }) => end(p.userId, p.sessionId)) as never,
  );
  hub.services.events.on('session.revoked', ({ payload }) => {
    end(payload.userId, payload.sessionId);
    if (hub.clustered) hub.io.serverSideEmit(SESSION_ENDED, payload);
  });
}
