// The REST end of the error table: unknown routes and every thrown error become
// `{ "error": { "code", "message", "details" } }`. Unexpected errors are logged, never shown.
import type { ErrorRequestHandler, RequestHandler } from 'express';
import { AppError } from '../utils/errors.ts';
import { toPublicError } from '../utils/error-mapper.ts';

/** 404 for any route nothing matched. */
export const routeNotFound: RequestHandler = (req, _res, next) => {
  next(new AppError('route_not_found', `No endpoint ${req.method} ${req.path}`));
};

/** Final error handler. */
export const errorHandler: ErrorRequestHandler = (err, req, res, _next) => {
  const mapped = toPublicError(err);
  if (mapped.status >= 500) req.log?.error({ err }, 'request failed');
  if (res.headersSent) {
    res.end();
    return;
  }
  res.set(mapped.headers);
  res.status(mapped.status).json({
    error: {
      code: mapped.code,
      message: mapped.message,
      ...(mapped.details === undefined ? {} : { details: mapped.details }),
    },
  });
};
