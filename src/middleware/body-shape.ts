// Refuses JSON bodies nested deeper than MAX_PAYLOAD_DEPTH before any recursive code (zod,
// services, presenters) walks them: a 10,000-level body is a 400, never a stack overflow and a 500.
import type { NextFunction, Request, Response } from 'express';
import { AppError } from '../utils/errors.ts';
import { MAX_PAYLOAD_DEPTH, measurePayload } from '../utils/payload-shape.ts';

/** Express middleware: `validation_failed` for a body nested too deeply. */
export function bodyShape(req: Request, _res: Response, next: NextFunction): void {
  if (req.body !== undefined && measurePayload(req.body, { maxDepth: MAX_PAYLOAD_DEPTH }).exceeded === 'depth') {
    next(
      new AppError('validation_failed', `The body may nest at most ${MAX_PAYLOAD_DEPTH} levels`, [
        { path: 'body', code: 'too_deep', message: `nested deeper than ${MAX_PAYLOAD_DEPTH} levels` },
      ]),
    );
    return;
  }
  next();
}
