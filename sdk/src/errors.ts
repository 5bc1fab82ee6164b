// A refused event or connection, with the server's error code (docs/realtime.md).

export class EnsembleError extends Error {
  readonly code: string;
  readonly details: unknown;

  constructor(code: string, message: string, details?: unknown) {
    super(message);
    this.name = 'EnsembleError';
    this.code = code;
    this.details = details;
  }
}
