// Line and column of tokens in the uploaded text, for problems. JSON5 parsers give no positions, so
// a small scanner walks the text once per file (only when there are problems to place), keeping the
// path of object keys, and records where each wanted path's key starts. Linear in the file's size.
import type { TokenProblem } from '../token.types.ts';
import type { TokenFile } from './parse.ts';

export interface Position {
  line: number;
  column: number;
}

interface Frame {
  /** Dot path of this object, or undefined inside arrays (no token paths there). */
  path: string | undefined;
  array: boolean;
  expectKey: boolean;
  key?: string;
}

const IDENT = /[A-Za-z0-9_$\u0080-\uffff]/;

/** Positions of the keys whose dot paths `wanted` accepts. */
export function keyPositions(text: string, wanted: (path: string) => boolean): Map<string, Position> {
  const found = new Map<string, Position>();
  const stack: Frame[] = [];
  let line = 1;
  let lineStart = 0;
  let i = 0;
  const n = text.length;
  const top = () => stack[stack.length - 1];
  const onKey = (key: string, at: number, atLine: number, atLineStart: number) => {
    const frame = top()!;
    frame.key = key;
    frame.expectKey = false;
    if (frame.path === undefined) return;
    const path = frame.path ? `${frame.path}.${key}` : key;
    if (!found.has(path) && wanted(path)) found.set(path, { line: atLine, column: at - atLineStart + 1 });
  };
  while (i < n) {
    const ch = text[i]!;
    if (ch === '\n') {
      line++;
      lineStart = ++i;
      continue;
    }
    if (ch === '/' && text[i + 1] === '/') {
      while (i < n && text[i] !== '\n') i++;
      continue;
    }
    if (ch === '/' && text[i + 1] === '*') {
      i += 2;
      while (i < n && !(text[i] === '*' && text[i + 1] === '/')) {
        if (text[i] === '\n') {
          line++;
          lineStart = i + 1;
        }
        i++;
      }
      i += 2;
      continue;
    }
    const frame = top();
    if (ch === '"' || ch === "'") {
      const start = i;
      const [startLine, startLineStart] = [line, lineStart];
      let value = '';
      i++;
      while (i < n && text[i] !== ch) {
        if (text[i] === '\\') {
          const next = text[i + 1];
          value +=
            next === 'n'
              ? '\n'
              : next === 't'
                ? '\t'
                : next === 'u'
                  ? String.fromCharCode(parseInt(text.slice(i + 2, i + 6), 16))
                  : (next ?? '');
          i += next === 'u' ? 6 : 2;
          continue;
        }
        if (text[i] === '\n') {
          line++;
          lineStart = i + 1;
        }
        value += text[i];
        i++;
      }
      i++;
      if (frame && !frame.array && frame.expectKey) onKey(value, start, startLine, startLineStart);
      continue;
    }
    if (ch === '{' || ch === '[') {
      const parentPath = frame
        ? frame.array || frame.path === undefined
          ? undefined
          : frame.path
            ? `${frame.path}.${frame.key}`
            : frame.key
        : '';
      stack.push({ path: ch === '[' ? undefined : parentPath, array: ch === '[', expectKey: ch === '{' });
      i++;
      continue;
    }
    if (ch === '}' || ch === ']') {
      stack.pop();
      i++;
      continue;
    }
    if (ch === ',') {
      if (frame && !frame.array) frame.expectKey = true;
      i++;
      continue;
    }
    if (IDENT.test(ch)) {
      const start = i;
      while (i < n && IDENT.test(text[i]!)) i++;
      if (frame && !frame.array && frame.expectKey) onKey(text.slice(start, i), start, line, lineStart);
      continue;
    }
    i++;
  }
  return found;
}

/**
 * Adds `file`, `line` and `column` to problems about tokens. A
 * token's path is its key path in a DTCG or Style Dictionary file, or follows a set name (one
 * Tokens Studio file holding every set), or `$root` stands for it.
 */
export function locateProblems(problems: TokenProblem[], files: TokenFile[], origins: Map<string, string>): void {
  const todo = problems.filter((p) => p.line === undefined && p.code !== 'invalid_json' && p.code !== 'unknown_format');
  if (todo.length === 0) return;
  const wanted = new Set(todo.map((p) => p.path));
  const matches = (keyPath: string) => {
    if (wanted.has(keyPath) || wanted.has(keyPath.replace(/\.\$root$/, ''))) return true;
    const dot = keyPath.indexOf('.');
    return dot > 0 && wanted.has(keyPath.slice(dot + 1));
  };
  const byFile = new Map<string, Map<string, Position>>();
  const positionsIn = (file: TokenFile) => {
    let positions = byFile.get(file.path);
    if (!positions) {
      positions = keyPositions(file.content, matches);
      byFile.set(file.path, positions);
    }
    return positions;
  };
  const find = (positions: Map<string, Position>, path: string) =>
    positions.get(`${path}.$root`) ??
    positions.get(path) ??
    [...positions].find(([key]) => key.endsWith(`.${path}`) && key.indexOf('.') === key.length - path.length - 1)?.[1];
  for (const problem of todo) {
    const origin = problem.file ?? origins.get(problem.path);
    const candidates = origin ? files.filter((f) => f.path === origin) : files;
    for (const file of candidates) {
      const at = find(positionsIn(file), problem.path);
      if (!at) continue;
      problem.file = file.path;
      problem.line = at.line;
      problem.column = at.column;
      break;
    }
  }
}
