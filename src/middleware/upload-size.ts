// Caps a whole upload by its declared length before a byte of it is read: multer's own limits are
// per file, so 200 files of the largest size would otherwise all be buffered first.
import type { RequestHandler } from 'express';
import { AppError } from '../utils/errors.ts';

/** Refuses an upload without a Content-Length (411) or declaring more than `maxBytes` (413). */
export function uploadSize(maxBytes: number): RequestHandler {
  return (req, _res, next) => {
    if (!req.is('multipart/form-data')) return next();
    const declared = Number(req.headers['content-length']);
    if (!req.headers['content-length'] || !Number.isFinite(declared)) return next(new AppError('length_required'));
    if (declared > maxBytes)
      return next(new AppError('payload_too_large', `Uploads here are limited to ${maxBytes} bytes in all`));
    next();
  };
}
