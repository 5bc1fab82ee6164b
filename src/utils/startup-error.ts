// A start-up failure the operator can fix: main.ts prints it as one line (the cause, then the fix)
// and exits non-zero, instead of a stack trace.
export class StartupError extends Error {
  readonly fix: string;

  constructor(cause: string, fix: string) {
    super(cause);
    this.name = 'StartupError';
    this.fix = fix;
  }

  /** The one line main.ts prints. */
  get line(): string {
    return `Ensemble could not start: ${this.message}. ${this.fix}`;
  }
}
