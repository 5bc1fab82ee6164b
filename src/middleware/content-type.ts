// A body in a content type the route does not read is refused as such (415), instead of being
// skipped by the JSON parser and reported as every field missing. A request with no body at all
// (`POST /logout`, `POST …/lock` sent bare) passes: there is nothing in the wrong format.
import type { Request, RequestHandler } from 'express';
import { AppError } from '../utils/errors.ts';

/** Whether the request carries body bytes (chunked, or a non-zero Content-Length). */
function hasBody(req: Request): boolean {
  if (req.headers['transfer-encoding'] !== undefined) return true;
  const length = Number(req.headers['content-length'] ?? 0);
  return !Number.isFinite(length) || length > 0;
}

/** Refuses a body whose Content-Type is none of `accepted` with `unsupported_media_type`. */
export function requireContentType(accepted: readonly string[]): RequestHandler {
  return (req, _res, next) => {
    if (!hasBody(req) || req.is([...accepted])) return next();
    const given = req.headers['content-type']?.slice(0, 100);
    next(
      new AppError('unsupported_media_type', `Send the body as ${accepted.join(' or ')} (Content-Type header)`, [
        {
          path: 'Content-Type',
          code: 'unsupported_media_type',
          message: `${given ? `got ${given}` : 'no Content-Type'}; expected ${accepted.join(' or ')}`,
        },
      ]),
    );
  };
}
