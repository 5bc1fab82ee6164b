// The token work that may leave the event loop: parsing, converting, validating and locating an
// import, and building an export through Style Dictionary. Pure functions of plain data, run the
// same way inline (small inputs) and inside a worker thread (token-worker.ts).
import { exportTokens, type ExportOptions, type ExportResult } from '../export/index.ts';
import { importTokenFiles, type ImportOptions, type ImportResult, type TokenFile } from '../import/index.ts';
import type { ExportFormat, TokenMap } from '../token.types.ts';

/** Each task's arguments and result; both must survive structuredClone (Maps do, classes do not). */
export interface TokenTasks {
  import: { args: [files: TokenFile[], options: ImportOptions]; result: ImportResult };
  export: { args: [tokens: TokenMap, format: ExportFormat, options: ExportOptions]; result: ExportResult };
}

export type TaskName = keyof TokenTasks;

/** The implementations, by name. */
export const TASKS: {
  [K in TaskName]: (...args: TokenTasks[K]['args']) => TokenTasks[K]['result'] | Promise<TokenTasks[K]['result']>;
} = {
  import: (files, options) => importTokenFiles(files, options),
  export: (tokens, format, options) => exportTokens(tokens, format, options),
};
