// The Yjs side of a token import, built on a copy of the tokens document so that the live copy only
// has to integrate the result: the import is read against the stored tokens (the copy's), written
// into the copy as the live write would be (tokens-doc.ts), and answered as Yjs updates — `parts` of
// PART_TOKENS tokens each, which the live copy integrates one per event-loop turn
// (DocumentService.applyInParts), and `update`, the same change as one, which is stored and relayed.
// Pure data in and out: runs inline or on a worker thread (tasks.ts).
import * as Y from 'yjs';
import { readTokens, writeGroups, writeThemes, writeToken } from '../../documents/tokens-doc.ts';
import { importTokenFiles, type ImportOptions, type TokenFile } from '../import/index.ts';
import type { ImportFormat, TokenProblem } from '../token.types.ts';

/** Tokens per part: integrating 1,000 tokens' entries takes ~5 ms on one core of the bench machine. */
export const PART_TOKENS = 1000;

export interface ImportDelta {
  format: ImportFormat;
  /** Tokens in the files. */
  total: number;
  counts: { created: number; updated: number; unchanged: number };
  themes: number;
  /** The modes the imported tokens have values in. */
  modes: string[];
  problems: TokenProblem[];
  warnings: TokenProblem[];
  /** The change in order, one Yjs update per PART_TOKENS tokens (empty when nothing changes). */
  parts: Uint8Array[];
  /** The whole change as one Yjs update, or null when nothing changes (or there are problems). */
  update: Uint8Array | null;
}

/** Imports `files` against the tokens document whose state is `state` (Y.encodeStateAsUpdate). */
export function importUpdate(
  files: TokenFile[],
  options: Omit<ImportOptions, 'existing'>,
  state: Uint8Array,
): ImportDelta {
  const doc = new Y.Doc();
  Y.applyUpdate(doc, state);
  const result = importTokenFiles(files, { ...options, existing: readTokens(doc) });
  const counts = { created: 0, updated: 0, unchanged: 0 };
  const delta: ImportDelta = {
    format: result.format,
    total: result.tokens.size,
    counts,
    themes: result.themes.length,
    modes: [...new Set([...result.tokens.values()].flatMap((t) => Object.keys(t.modes ?? {})))],
    problems: result.problems,
    warnings: result.warnings,
    parts: [],
    update: null,
  };
  if (result.problems.length > 0) return delta;
  // A transaction that changes nothing emits no update, so unchanged parts are left out.
  const before = Y.encodeStateVector(doc);
  doc.on('update', (update: Uint8Array) => delta.parts.push(update));
  const entries = [...result.tokens];
  for (let start = 0; start < Math.max(1, entries.length); start += PART_TOKENS) {
    const last = start + PART_TOKENS >= entries.length;
    doc.transact(() => {
      for (const [path, token] of entries.slice(start, start + PART_TOKENS)) counts[writeToken(doc, path, token)]++;
      if (last && result.themes.length) writeThemes(doc, result.themes);
      if (last && result.groups.size) writeGroups(doc, result.groups);
    });
  }
  // Encoding what is new since `before` costs a tenth of merging the parts (Y.mergeUpdates) at 10,000 tokens.
  if (delta.parts.length > 0)
    delta.update = delta.parts.length === 1 ? delta.parts[0]! : Y.encodeStateAsUpdate(doc, before);
  return delta;
}
