// A text diff whose cost is bounded whatever the input: common prefix and suffix first, then a
// line diff of what remains, then a word diff inside each changed hunk, each step with a work cap
// (jsdiff's `maxEditLength` and `timeout`) and a plain replacement as the fallback; a changed run of
// words keeps only what really differs (its common start and end are trimmed). A replacement is
// still a correct diff, only a coarser one, so the worst case costs a few milliseconds at the
// largest field size instead of seconds of a blocked event loop. No character diff: on two
// unrelated strings it explores every spurious match (jsdiff: 0.19 ms for two 41-character ids,
// for a fragmented answer no one wants), where words and trimming find the edits people make.
import { diffLines, diffWordsWithSpace } from 'diff';

/** One part of a diff: text common to both, removed from the first, or added by the second. */
export interface DiffPart {
  value: string;
  added: boolean;
  removed: boolean;
}

// The caps were set with bench/rest/merge.ts at the largest field size (500,000 characters).
/** Largest changed middle (both sides, after the common prefix and suffix) that is diffed by line: splitting is itself linear work. */
const MAX_LINE_DIFF_CHARS = 200_000;
/** Most lines of edit distance the line diff explores before it gives up. */
const MAX_LINE_EDITS = 2000;
/** Largest hunk (removed + added characters) diffed word by word. */
const MAX_HUNK_CHARS = 4000;
/** Most words (and the spaces and punctuation between them) of edit distance inside one hunk. */
const MAX_WORD_EDITS = 200;
/** Time the whole diff may take before the remaining hunks become plain replacements. */
const BUDGET_MS = 4;

const common = (value: string): DiffPart => ({ value, added: false, removed: false });
const removed = (value: string): DiffPart => ({ value, added: false, removed: true });
const added = (value: string): DiffPart => ({ value, added: true, removed: false });

/** The parts that turn `from` into `to`, in order. */
export function boundedDiff(from: string, to: string): DiffPart[] {
  const started = performance.now();
  const remaining = () => Math.max(1, BUDGET_MS - (performance.now() - started));
  const start = commonPrefix(from, to);
  const end = commonSuffix(from, to, Math.min(from.length, to.length) - start);
  const parts: DiffPart[] = [];
  if (start) parts.push(common(from.slice(0, start)));
  const a = from.slice(start, from.length - end);
  const b = to.slice(start, to.length - end);
  if (a || b) {
    const lines =
      a && b && a.length + b.length <= MAX_LINE_DIFF_CHARS
        ? diffLines(a, b, { maxEditLength: MAX_LINE_EDITS, timeout: remaining() })
        : undefined;
    if (!lines) replace(parts, a, b);
    else refine(parts, lines, remaining);
  }
  if (end) parts.push(common(from.slice(from.length - end)));
  return parts;
}

/** Adds a line diff's parts, diffing each changed hunk (a removal next to an addition) by word. */
function refine(parts: DiffPart[], lines: DiffPart[], remaining: () => number): void {
  for (let i = 0; i < lines.length; i++) {
    const part = lines[i] as DiffPart;
    const next = lines[i + 1];
    if (part.removed && next?.added) {
      i++;
      const words =
        part.value.length + next.value.length <= MAX_HUNK_CHARS
          ? diffWordsWithSpace(part.value, next.value, { maxEditLength: MAX_WORD_EDITS, timeout: remaining() })
          : undefined;
      if (words) refineWords(parts, words);
      else replace(parts, part.value, next.value);
    } else {
      parts.push({ value: part.value, added: part.added, removed: part.removed });
    }
  }
}

/** Adds a word diff's parts; a changed run of words (a removal next to an addition) loses its common start and end. */
function refineWords(parts: DiffPart[], words: DiffPart[]): void {
  for (let i = 0; i < words.length; i++) {
    const part = words[i] as DiffPart;
    const next = words[i + 1];
    if (part.removed && next?.added) {
      i++;
      const [a, b] = [part.value, next.value];
      const start = commonPrefix(a, b);
      const end = commonSuffix(a, b, Math.min(a.length, b.length) - start);
      if (start) parts.push(common(a.slice(0, start)));
      replace(parts, a.slice(start, a.length - end), b.slice(start, b.length - end));
      if (end) parts.push(common(a.slice(a.length - end)));
    } else {
      parts.push({ value: part.value, added: part.added, removed: part.removed });
    }
  }
}

// Blocks compared as whole strings (memory comparison), then the last one by character: a
// character loop over 500,000 characters is several milliseconds.
const BLOCK = 4096;

function commonPrefix(a: string, b: string): number {
  const limit = Math.min(a.length, b.length);
  let n = 0;
  while (n + BLOCK <= limit && a.slice(n, n + BLOCK) === b.slice(n, n + BLOCK)) n += BLOCK;
  while (n < limit && a.charCodeAt(n) === b.charCodeAt(n)) n++;
  return n;
}

function commonSuffix(a: string, b: string, limit: number): number {
  let n = 0;
  while (
    n + BLOCK <= limit &&
    a.slice(a.length - n - BLOCK, a.length - n) === b.slice(b.length - n - BLOCK, b.length - n)
  )
    n += BLOCK;
  while (n < limit && a.charCodeAt(a.length - 1 - n) === b.charCodeAt(b.length - 1 - n)) n++;
  return n;
}

function replace(parts: DiffPart[], a: string, b: string): void {
  if (a) parts.push(removed(a));
  if (b) parts.push(added(b));
}
