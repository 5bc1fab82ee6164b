// Socket.IO handshake: origin allowlist, `auth: { token }` (JWT or API key), the per-user
// connection cap. A refused connection gets `connect_error` whose `data` is `{ code, message }`.
import type { ExtendedError } from 'socket.io';
import { bearer } from '../middleware/authenticate.ts';
import { AppError } from '../utils/errors.ts';
import { toPublicError } from '../utils/error-mapper.ts';
import { RefusalTally } from './refusal-tally.ts';
import type { Hub, HubSocket } from './types.ts';

/** An Error Socket.IO sends to the client as `connect_error`. */
export function refusal(err: unknown): ExtendedError {
  const { code, message } = toPublicError(err);
  const error = new Error(code) as ExtendedError;
  error.data = { code, message };
  return error;
}

/**
 * Whether a browser origin may connect (no Origin header: not a browser, allowed). A page of this
 * server itself (the origin's host is the request's Host: /demo) is not cross-origin and needs no
 * listing; connections authenticate with a token, never a cookie, so nothing ambient is at stake.
 */
export function originAllowed(origin: string | undefined, allowed: readonly string[], host?: string): boolean {
  return (
    !origin ||
    allowed.includes('*') ||
    allowed.includes(origin) ||
    (host !== undefined && URL.parse(origin)?.host === host)
  );
}

/** The handshake middleware. */
export function handshake(hub: Hub) {
  const { authenticator, users, connections } = hub.services;
  return async (socket: HubSocket, next: (err?: ExtendedError) => void) => {
    try {
      if (hub.draining) throw new AppError('service_unavailable', 'The server is restarting; connect again');
      if (!originAllowed(socket.handshake.headers.origin, hub.config.CORS_ORIGINS, socket.handshake.headers.host))
        throw new AppError('forbidden', 'This origin may not connect');
      const auth = socket.handshake.auth as { token?: unknown } | undefined;
      const token = typeof auth?.token === 'string' ? auth.token : bearer(socket.handshake.headers.authorization);
      if (!token) throw new AppError('unauthenticated', 'Connect with auth: { token }');
      const { actor, session } = await authenticator.connect(token);
      const principal = actor.kind === 'user' ? `user:${actor.userId}` : `apikey:${actor.apiKeyId}`;
      await connections.open(principal, socket.id);
      socket.data = {
        actor,
        credential: token,
        session,
        expiry: [],
        principal,
        user: await users.profile(actor),
        designSystems: new Map(),
        docs: new Map(),
        docSystems: new Map(),
        locks: new Map(),
        buckets: new Map(),
        violations: [],
        refusals: new RefusalTally(hub.config.SOCKET_ABUSE_DISCONNECT_AFTER),
        behind: null,
        unchecked: 0,
      };
      next();
    } catch (err) {
      next(refusal(err));
    }
  };
}
