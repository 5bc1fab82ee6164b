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

// Connection-level failures of PostgreSQL (node-postgres, Prisma's driver adapter) and Redis
// (ioredis): the backing service is down or restarting, so the client should retry, not give up.
const UNAVAILABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  // PostgreSQL SQLSTATEs: connection exceptions, admin/crash shutdown, cannot connect now, too many connections.
  '08000',
  '08001',
  '08003',
  '08004',
  '08006',
  '57P01',
  '57P02',
  '57P03',
  '53300',
  // Prisma: cannot reach the server, timed out, pool timeout, connection closed.
  'P1001',
  'P1002',
  'P1008',
  'P1017',
  'P2024',
]);
const UNAVAILABLE_MESSAGES =
  /Connection terminated|Connection is closed|connection timeout|timeout exceeded when trying to connect|Client has encountered a connection error|Can't reach database server|Stream isn't writeable|MaxRetriesPerRequest|DatabaseNotReachable|ConnectionClosed|SocketTimeout/i;

/** Whether `err` (or anything in its cause chain) says a backing service is unreachable. */
export function isUnavailable(err: unknown): boolean {
  for (
    let e: unknown = err, depth = 0;
    e && typeof e === 'object' && depth < 8;
    e = (e as { cause?: unknown }).cause, depth++
  ) {
    const { code, name, message, kind } = e as { code?: unknown; name?: unknown; message?: unknown; kind?: unknown };
    if (typeof code === 'string' && UNAVAILABLE_CODES.has(code)) return true;
    if (name === 'PrismaClientInitializationError' || name === 'MaxRetriesPerRequestError') return true;
    if (typeof kind === 'string' && UNAVAILABLE_MESSAGES.test(kind)) return true;
    if (typeof message === 'string' && UNAVAILABLE_MESSAGES.test(message)) return true;
  }
  return false;
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
    if (code === 'LIMIT_FILE_SIZE')
      return fromCode('payload_too_large', undefined, 'The file is larger than this server accepts');
    return fromCode('validation_failed', [
      { path: (err as { field?: string }).field ?? 'file', code: code ?? 'invalid', message: (err as Error).message },
    ]);
  }
  // body-parser and raw-body errors carry a `type` and a status.
  const type = (err as { type?: string } | null)?.type;
  if (type === 'entity.too.large') return fromCode('payload_too_large');
  if (type === 'entity.parse.failed') return fromCode('invalid_json');
  if (type === 'encoding.unsupported' || type === 'charset.unsupported') return fromCode('unsupported_media_type');
  if (isUnavailable(err)) return { ...fromCode('service_unavailable'), headers: { 'Retry-After': '2' } };
  return fromCode('internal');
}
