// A refused event, request or connection, with the server's error code (docs/realtime.md).
import { toErrorCode, type ErrorCode } from './error-codes.ts';

export class EnsembleError extends Error {
  readonly code: ErrorCode;
  /** What the server added: the lock holder for `locked`, the failed fields for `validation_failed`, … */
  readonly details: unknown;

  constructor(code: ErrorCode | string, message: string, details?: unknown) {
    super(message);
    this.name = 'EnsembleError';
    this.code = toErrorCode(code);
    this.details = details;
  }
}

/** Any failure as an EnsembleError. */
export const toEnsembleError = (err: unknown): EnsembleError =>
  err instanceof EnsembleError
    ? err
    : new EnsembleError('client_error', err instanceof Error ? err.message : String(err));
