// reauth: the client presents a fresh access token for its open connection (asked for by the
// server's `reauth` event shortly before the current one expires). It must be the same user.
import { z } from 'zod';
import { AppError } from '../../utils/errors.ts';
import { on } from '../bind.ts';
import { armExpiry } from '../sessions.ts';

export const sessionHandlers = {
  reauth: on({
    schema: z.object({ token: z.string().min(1).max(4096) }),
    limit: 'default',
    maxBytes: 8192,
    async handle({ token }, socket, hub) {
      const { actor, session } = await hub.services.authenticator.connect(token);
      const current = socket.data.session;
      const same =
        current.kind === 'user'
          ? session.kind === 'user' && session.userId === current.userId
          : session.kind === 'apiKey' && session.apiKeyId === current.apiKeyId;
      if (!same) throw new AppError('invalid_token', 'The token belongs to someone else than this connection');
      socket.data.session = session;
      socket.data.credential = token;
      socket.data.actor = actor;
      armExpiry(socket);
      return session.kind === 'user' ? { expiresAt: new Date(session.expiresAt).toISOString() } : {};
    },
  }),
};
