// Resolves `Authorization: Bearer <JWT | API key>` into `req.actor`. Routes that need an actor
// check for it in the route builder; this middleware only reads what is there.
import type { RequestHandler } from 'express';
import type { Authenticator } from '../services/auth/authenticate.ts';
import { AppError } from '../utils/errors.ts';

/** Extracts the bearer credential from a header value. */
export function bearer(header: string | undefined): string | null {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '');
  return match?.[1] ?? null;
}

/** Sets `req.actor` when a credential is present; a bad credential is a 401 even on public routes. */
export function authenticate(authenticator: Authenticator): RequestHandler {
  return async (req, _res, next) => {
    const header = req.headers.authorization;
    if (!header) return next();
    const credential = bearer(header);
    if (!credential) return next(new AppError('invalid_token', 'Use Authorization: Bearer <token>'));
    req.actor = await authenticator.resolve(credential, String(req.id));
    next();
  };
}
