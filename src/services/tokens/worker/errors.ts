// Errors cross the thread boundary as plain data and are rebuilt as the same classes on the other
// side, so the service maps them exactly as if the work had run inline: an AppError keeps its code
// and details, a TokenNameError its problems (both paths, the name, the platform, file and line).
import { AppError, type ErrorCode } from '../../../utils/errors.ts';
import { TokenExportError, TokenNameError } from '../export/index.ts';
import type { TokenProblem } from '../token.types.ts';

/** An error as structured-cloneable data. */
export type WireError =
  | { kind: 'app'; code: ErrorCode; message: string; details: unknown; headers: Record<string, string> }
  | { kind: 'token-name'; message: string; problems: TokenProblem[] }
  | { kind: 'token-export'; message: string }
  | { kind: 'other'; name: string; message: string; stack?: string | undefined };

/** Turns anything thrown into WireError data. */
export function toWire(err: unknown): WireError {
  if (err instanceof AppError)
    return { kind: 'app', code: err.code, message: err.message, details: err.details, headers: err.headers };
  if (err instanceof TokenNameError) return { kind: 'token-name', message: err.message, problems: err.problems };
  if (err instanceof TokenExportError) return { kind: 'token-export', message: err.message };
  if (err instanceof Error) return { kind: 'other', name: err.name, message: err.message, stack: err.stack };
  return { kind: 'other', name: 'Error', message: String(err) };
}

/** Rebuilds the error a WireError describes. */
export function fromWire(wire: WireError): Error {
  switch (wire.kind) {
    case 'app':
      return new AppError(wire.code, wire.message, wire.details, wire.headers);
    case 'token-name':
      return new TokenNameError(wire.problems);
    case 'token-export':
      return new TokenExportError(wire.message);
    default: {
      const err = new Error(wire.message);
      err.name = wire.name;
      // The worker's stack says where it failed; this side's would only name the message handler.
      if (wire.stack) err.stack = wire.stack;
      return err;
    }
  }
}
