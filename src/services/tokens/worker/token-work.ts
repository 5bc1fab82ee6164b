// Where token work runs: inline for small inputs (a message round trip to a thread costs more than
// the work itself), on the worker pool for everything else. The thresholds are config keys
// (TOKEN_WORKER_INLINE_BYTES, TOKEN_WORKER_INLINE_TOKENS; docs/configuration.md).
import type { ExportOptions, ExportResult } from '../export/index.ts';
import type { ImportOptions, TokenFile } from '../import/index.ts';
import type { ExportFormat, TokenMap } from '../token.types.ts';
import type { ImportDelta } from './import-update.ts';
import { TokenWorkerPool, type TokenPoolOptions } from './pool.ts';
import { TASKS } from './tasks.ts';

export interface TokenWorkOptions extends TokenPoolOptions {
  /** Imports of fewer bytes in all run inline; 0 sends every import to the pool. */
  inlineBytes: number;
  /** Exports of fewer tokens run inline; 0 sends every export to the pool. */
  inlineTokens: number;
}

/** Imports and exports of tokens, off the event loop when they are large enough to matter. */
export class TokenWork {
  private readonly options: TokenWorkOptions;
  /** The pool, when one is used (size 0 runs everything inline). */
  readonly pool: TokenWorkerPool | undefined;

  constructor(options: TokenWorkOptions) {
    this.options = options;
    this.pool = options.size > 0 ? new TokenWorkerPool(options) : undefined;
  }

  /** Work that runs inline, always (tests of the service alone, tools). */
  static inline(): TokenWork {
    return new TokenWork({ size: 0, idleMs: 0, inlineBytes: 0, inlineTokens: 0 });
  }

  /**
   * Parses, converts and validates token files against the tokens document whose state is `state`,
   * and writes them into a copy of it: the change as Yjs updates (import-update.ts).
   */
  async import(files: TokenFile[], options: Omit<ImportOptions, 'existing'>, state: Uint8Array): Promise<ImportDelta> {
    const bytes = files.reduce((sum, f) => sum + f.content.length, 0);
    if (!this.pool || bytes < this.options.inlineBytes) return TASKS.import(files, options, state);
    return this.pool.run('import', files, options, state);
  }

  /** Writes tokens in a format (see exportTokens). */
  async export(tokens: TokenMap, format: ExportFormat, options: ExportOptions): Promise<ExportResult> {
    if (!this.pool || tokens.size < this.options.inlineTokens) return TASKS.export(tokens, format, options);
    return this.pool.run('export', tokens, format, options);
  }

  /** Stops the threads. */
  close(): Promise<void> {
    return this.pool?.close() ?? Promise.resolve();
  }
}
