// Three-way text merge into a Y.Text: the REST client edited `base` into `next`, while the live
// document may have moved on from `base`. Only the client's own edits are applied, at positions
// mapped through the live changes, so concurrent edits elsewhere in the text survive. Both diffs
// are bounded (text-diff.ts): a huge rewrite merges as a coarser replacement, never a stall.
import type * as Y from 'yjs';
import { boundedDiff } from './text-diff.ts';

interface Edit {
  /** Start in base coordinates. */
  at: number;
  /** Characters of base removed from `at`. */
  remove: number;
  insert: string;
}

/** The edits that turn `from` into `to`, in `from`'s coordinates, left to right. */
export function textEdits(from: string, to: string): Edit[] {
  const edits: Edit[] = [];
  let pos = 0;
  for (const part of boundedDiff(from, to)) {
    if (part.added) {
      const last = edits.at(-1);
      if (last && last.at + last.remove === pos) last.insert += part.value;
      else edits.push({ at: pos, remove: 0, insert: part.value });
    } else if (part.removed) {
      const last = edits.at(-1);
      if (last && last.at + last.remove === pos && last.insert === '') last.remove += part.value.length;
      else edits.push({ at: pos, remove: part.value.length, insert: '' });
      pos += part.value.length;
    } else {
      pos += part.value.length;
    }
  }
  return edits;
}

type Bias = 'left' | 'right';

/**
 * Maps positions in `base` to positions in `current`. Where the live side inserted text exactly at
 * a position, `left` lands before that text and `right` after it.
 */
function positionMap(base: string, current: string): (pos: number, bias: Bias) => number {
  const parts = boundedDiff(base, current);
  return (pos, bias) => {
    let b = 0;
    let c = 0;
    for (const part of parts) {
      const len = part.value.length;
      if (part.added) {
        if (b === pos && bias === 'left') return c;
        c += len;
      } else if (part.removed) {
        if (pos < b + len) return c;
        b += len;
      } else {
        if (pos < b + len) return c + (pos - b);
        b += len;
        c += len;
      }
    }
    return c;
  };
}

/** Applies the edits from `base` to `next` onto `text`, which currently holds `text.toString()`. */
export function mergeText(text: Y.Text, base: string, next: string): void {
  const current = text.toString();
  const map = current === base ? (p: number) => p : positionMap(base, current);
  // Right to left, so earlier positions stay valid. A removal never swallows text the live side
  // inserted at either of its ends.
  for (const edit of textEdits(base, next).reverse()) {
    const start = map(edit.at, 'right');
    const end = Math.max(start, map(edit.at + edit.remove, 'left'));
    if (end > start) text.delete(start, end - start);
    if (edit.insert) text.insert(start, edit.insert);
  }
}
