// One mapper from anything thrown to the public error shape, shared by REST and socket acks.
// Internal messages (SQL, stack traces, library text) never pass through: unknown errors become `internal`.
import { ZodError } from 'zod';
import { AppError, ERRORS, type ErrorCode, type ErrorDetail } from './errors.ts';

export interface PublicError {
  status: number;
  code: ErrorCode;
  message: string;
  details?: unknown;
  headers: Record<string, string>;
}

/** Turns zod issues into `{ path, code, message }` details naming each field. */
export function zodDetails(error: ZodError, prefix?: string): ErrorDetail[] {
  return error.issues.map((issue) => ({
    path: [prefix, ...issue.path.map(String)].filter(Boolean).join('.'),
    code: issue.code,
    message: issue.message,
  }));
}

function fromCode(code: ErrorCode, details?: unknown, message?: string): PublicError {
  return { status: ERRORS[code].status, code, message: message ?? ERRORS[code].message, details, headers: {} };
}

interface PrismaLike {
  name: string;
  code: string;
  meta?: { target?: unknown };
}

function isPrismaKnown(err: unknown): err is PrismaLike {
  return (
    typeof err === 'object' &&
    err !== null &&
    (err as { name?: string }).name === 'PrismaClientKnownRequestError' &&
    typeof (err as { code?: unknown }).code === 'string'
  );
}

/** Maps any thrown value to the status, code, message and details a client may see. */
export function toPublicError(err: unknown): PublicError {
  if (err instanceof AppError) {
    return { status: err.status, code: err.code, message: err.message, details: err.details, headers: err.headers };
  }
  if (err instanceof ZodError) return fromCode('validation_failed', zodDetails(err));
  if (isPrismaKnown(err)) {
    if (err.code === 'P2002') return fromCode('conflict', undefined, 'A resource with these values already exists');
    if (err.code === 'P2025') return fromCode('not_found');
    if (err.code === 'P2003') return fromCode('validation_failed', undefined, 'A referenced resource does not exist');
  }
  // multer (multipart uploads) reports limits with codes.
  if ((err as { name?: string } | null)?.name === 'MulterError') {
    const code = (err as { code?: string }).code;
    if (code === 'LIMIT_FILE_SIZE') return fromCode('payload_too_large', undefined, 'The file is larger than this server accepts');
    return fromCode('validation_failed', [{ path: (err as { field?: string }).field ?? 'file', code: code ?? 'invalid', message: (err as Error).message }]);
  }
  // body-parser and raw-body errors carry a `type` and a status.
  const type = (err as { type?: string } | null)?.type;
  if (type === 'entity.too.large') return fromCode('payload_too_large');
  if (type === 'entity.parse.failed') return fromCode('invalid_json');
  if (type === 'encoding.unsupported' || type === 'charset.unsupported') return fromCode('unsupported_media_type');
  return fromCode('internal');
}
