// The token work that may leave the event loop: parsing, converting, validating and locating an
// import and writing it into a copy of the tokens document (import-update.ts), and building an
// export through Style Dictionary. Pure functions of plain data, run the
// same way inline (small inputs) and inside a worker thread (token-worker.ts).
import { exportTokens, type ExportOptions, type ExportResult } from '../export/index.ts';
import type { ImportOptions, TokenFile } from '../import/index.ts';
import type { ExportFormat, TokenMap } from '../token.types.ts';
import { type ImportDelta, importUpdate } from './import-update.ts';

/** Each task's arguments and result; both must survive structuredClone (Maps do, classes do not). */
export interface TokenTasks {
  import: {
    args: [files: TokenFile[], options: Omit<ImportOptions, 'existing'>, state: Uint8Array];
    result: ImportDelta;
  };
  export: { args: [tokens: TokenMap, format: ExportFormat, options: ExportOptions]; result: ExportResult };
}

export type TaskName = keyof TokenTasks;

/** The implementations, by name. */
export const TASKS: {
  [K in TaskName]: (...args: TokenTasks[K]['args']) => TokenTasks[K]['result'] | Promise<TokenTasks[K]['result']>;
} = {
  import: (files, options, state) => importUpdate(files, options, state),
  export: (tokens, format, options) => exportTokens(tokens, format, options),
};
