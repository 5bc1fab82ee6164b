// Parses uploaded token files as JSON5 and copies them without forbidden keys, so that no later
// step can reach Object.prototype through `__proto__`, `constructor` or `prototype`.
import JSON5 from 'json5';
import type { TokenProblem } from '../token.types.ts';
import { FORBIDDEN_KEYS } from '../validate.ts';
import { isRecord } from '../values.ts';
import { MAX_PAYLOAD_DEPTH, measurePayload } from '../../../utils/payload-shape.ts';

export interface TokenFile {
  path: string;
  content: string;
  /** The mode whose values this file holds (import/mode-files.ts); default values without. */
  mode?: string;
}

export interface ParsedFile {
  path: string;
  data: Record<string, unknown>;
}

/** Parses every file; unparsable files and forbidden keys become problems. */
export function parseFiles(files: TokenFile[]): { parsed: ParsedFile[]; problems: TokenProblem[] } {
  const parsed: ParsedFile[] = [];
  const problems: TokenProblem[] = [];
  for (const file of files) {
    let raw: unknown;
    try {
      // Plain JSON first: JSON5's parser is ~10× slower, and most files are JSON. Both define
      // `__proto__` as an own property (neither sets a prototype); the copy below drops it along
      // with the other forbidden keys.
      raw = parseJson(file.content);
    } catch (error) {
      problems.push({ path: file.path, file: file.path, code: 'invalid_json', message: (error as Error).message });
      continue;
    }
    // Tokens Studio's `$themes.json` is the one file that holds an array.
    if (Array.isArray(raw) && /(^|\/)\$themes\.json5?$/.test(file.path)) raw = { $themes: raw };
    if (!isRecord(raw)) {
      problems.push({
        path: file.path,
        file: file.path,
        code: 'invalid_json',
        message: 'a token file must hold a JSON object',
      });
      continue;
    }
    // The copy below and every later step recurse: refuse hostile nesting first.
    if (measurePayload(raw, { maxDepth: MAX_PAYLOAD_DEPTH }).exceeded) {
      problems.push({
        path: file.path,
        file: file.path,
        code: 'too_deep',
        message: `${file.path} nests deeper than ${MAX_PAYLOAD_DEPTH} levels`,
      });
      continue;
    }
    const forbidden: string[] = [];
    const data = safeCopy(raw, '', forbidden) as Record<string, unknown>;
    for (const path of forbidden) {
      problems.push({
        path,
        file: file.path,
        code: 'forbidden_key',
        message: `forbidden key "${path.split('.').pop()}" in ${file.path}`,
      });
    }
    parsed.push({ path: file.path, data });
  }
  return { parsed, problems };
}

/** JSON.parse, or JSON5 when that fails (its error messages, with line and column, are the ones reported). */
function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return JSON5.parse(text);
  }
}

/** A deep copy of plain JSON data without forbidden keys; their dot paths are collected. */
function safeCopy(value: unknown, path: string, forbidden: string[]): unknown {
  if (Array.isArray(value)) return value.map((item, i) => safeCopy(item, `${path}[${i}]`, forbidden));
  if (!isRecord(value)) return value;
  const copy: Record<string, unknown> = {};
  for (const key of Object.keys(value)) {
    const childPath = path ? `${path}.${key}` : key;
    if (FORBIDDEN_KEYS.has(key)) {
      forbidden.push(childPath);
      continue;
    }
    copy[key] = safeCopy(value[key], childPath, forbidden);
  }
  return copy;
}
