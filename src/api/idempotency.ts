// The `Idempotency-Key` header of job-starting POSTs: same key, same job.
import { AppError } from '../utils/errors.ts';

/** The validated key, or undefined when absent. */
export function idempotencyKey(header: string | string[] | undefined): string | undefined {
  if (header === undefined) return undefined;
  const key = Array.isArray(header) ? header[0] : header;
  if (!key || !/^[\w.:-]{1,255}$/.test(key)) {
    throw new AppError('validation_failed', undefined, [
      { path: 'Idempotency-Key', code: 'invalid', message: 'Use 1–255 letters, digits, . _ : -' },
    ]);
  }
  return key;
}
