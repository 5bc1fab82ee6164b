// Figma failures met while a client waits (setting a token, an import, asking for a generation), as
// errors from the table; inside a job the same message ends the job.
import { AppError } from '../../utils/errors.ts';
import { FigmaError } from './figma-api.ts';

/** A Figma failure as an error from the table; anything else is passed through. */
export function figmaAppError(err: unknown): unknown {
  if (!(err instanceof FigmaError)) return err;
  if (err.failure === 'token_rejected') return new AppError('figma_token_rejected', err.message);
  if (err.failure === 'not_found') return new AppError('figma_file_not_found', err.message);
  if (err.failure === 'rate_limited')
    return new AppError('figma_rate_limited', err.message, undefined, {
      'Retry-After': String(Math.max(1, err.retryAfterSeconds ?? 60)),
    });
  return new AppError('figma_unavailable', err.message);
}

/** Runs a Figma call, turning its failure into an error from the table. */
export async function askFigma<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (err) {
    throw figmaAppError(err);
  }
}
