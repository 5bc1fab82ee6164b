// Line-level three-way comparison of a text (a component's code or docs): the hunks each side made
// against the fork base, which of them overlap (a conflict, even though the CRDT would interleave
// the characters), and the merged text once every conflict is given a side.
import { diffArrays } from 'diff';

/** One side's change: base lines [start, end) replaced by `lines`. */
export interface Hunk {
  start: number;
  end: number;
  lines: string[];
}

/** Base lines [start, end) that both sides changed, differently. */
export interface TextConflict {
  start: number;
  end: number;
  /** The text of the range on each side. */
  main: string;
  branch: string;
  base: string;
}

/** Splits into lines, each keeping its newline, so joining gives the text back. */
export const splitLines = (text: string): string[] => text.match(/[^\n]*\n|[^\n]+$/g) ?? [];

/** The hunks that turn `base` into `next`, in base line order. */
export function lineHunks(base: string[], next: string[]): Hunk[] {
  const hunks: Hunk[] = [];
  let at = 0;
  let open: Hunk | null = null;
  for (const part of diffArrays(base, next)) {
    const count = part.value.length;
    if (!part.added && !part.removed) {
      open = null;
      at += count;
      continue;
    }
    if (!open) hunks.push((open = { start: at, end: at, lines: [] }));
    if (part.removed) {
      open.end += count;
      at += count;
    } else {
      open.lines.push(...part.value);
    }
  }
  return hunks;
}

/** Whether two hunks touch the same base lines (an insertion at the edge of another change counts). */
export function overlaps(a: Hunk, b: Hunk): boolean {
  if (a.start < b.end && b.start < a.end) return true;
  const insertion = a.start === a.end || b.start === b.end;
  return insertion && a.start <= b.end && b.start <= a.end;
}

interface Cluster {
  start: number;
  end: number;
  main: Hunk[];
  branch: Hunk[];
}

/** Groups every hunk with the ones it overlaps, transitively, in base order. */
function clusters(main: Hunk[], branch: Hunk[]): Cluster[] {
  const all = [
    ...main.map((h) => ({ h, side: 'main' as const })),
    ...branch.map((h) => ({ h, side: 'branch' as const })),
  ];
  all.sort((x, y) => x.h.start - y.h.start || x.h.end - y.h.end);
  const out: Cluster[] = [];
  for (const { h, side } of all) {
    const last = out.at(-1);
    const joins = last && [...last.main, ...last.branch].some((o) => overlaps(o, h));
    const target = joins && last ? last : { start: h.start, end: h.end, main: [], branch: [] };
    if (!joins) out.push(target);
    target[side].push(h);
    target.start = Math.min(target.start, h.start);
    target.end = Math.max(target.end, h.end);
  }
  return out;
}

/** Base lines [start, end) with the given hunks (all inside the range) applied. */
function rangeText(base: string[], start: number, end: number, hunks: Hunk[]): string {
  const out: string[] = [];
  let at = start;
  for (const h of [...hunks].sort((a, b) => a.start - b.start)) {
    out.push(...base.slice(at, h.start), ...h.lines);
    at = h.end;
  }
  out.push(...base.slice(at, end));
  return out.join('');
}

/** The three-way line comparison of one text. */
export function compareText(baseText: string, mainText: string, branchText: string) {
  const base = splitLines(baseText);
  const main = lineHunks(base, splitLines(mainText));
  const branch = lineHunks(base, splitLines(branchText));
  const conflicts: TextConflict[] = [];
  for (const c of clusters(main, branch)) {
    if (!c.main.length || !c.branch.length) continue;
    const m = rangeText(base, c.start, c.end, c.main);
    const r = rangeText(base, c.start, c.end, c.branch);
    if (m !== r)
      conflicts.push({ start: c.start, end: c.end, main: m, branch: r, base: base.slice(c.start, c.end).join('') });
  }
  return { main, branch, conflicts };
}

/** The stable key of a text conflict: its base line range, 1-based and inclusive (`L3-5`; `L3+` inserts before line 3). */
export const conflictKey = (c: { start: number; end: number }): string =>
  c.end > c.start ? `L${c.start + 1}-${c.end}` : `L${c.start + 1}+`;

/**
 * The merged text: every change of either side, and for each conflict the side `choose` names
 * (`ours` keeps main's lines, `theirs` takes the branch's).
 */
export function mergeLines(
  baseText: string,
  mainText: string,
  branchText: string,
  choose: (key: string) => 'ours' | 'theirs',
): string {
  const base = splitLines(baseText);
  const main = lineHunks(base, splitLines(mainText));
  const branch = lineHunks(base, splitLines(branchText));
  const out: string[] = [];
  let at = 0;
  for (const c of clusters(main, branch)) {
    out.push(...base.slice(at, c.start));
    const m = rangeText(base, c.start, c.end, c.main);
    const r = rangeText(base, c.start, c.end, c.branch);
    if (!c.branch.length) out.push(m);
    else if (!c.main.length || m === r) out.push(r);
    else out.push(choose(conflictKey(c)) === 'theirs' ? r : m);
    at = c.end;
  }
  out.push(...base.slice(at));
  return out.join('');
}
