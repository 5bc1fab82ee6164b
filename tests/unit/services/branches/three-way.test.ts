import { describe, expect, it } from '@jest/globals';
import * as Y from 'yjs';
import {
  compareText,
  conflictKey,
  lineHunks,
  mergeLines,
  overlaps,
  splitLines,
} from '../../../../src/services/branches/line-changes.ts';
import { applyMerge } from '../../../../src/services/branches/merge-apply.ts';
import { diffDocument, flatten } from '../../../../src/services/branches/three-way.ts';
import {
  readModeFallbacks,
  readTokens,
  writeModeFallback,
  writeToken,
} from '../../../../src/services/documents/tokens-doc.ts';

const base = 'a\nb\nc\nd\ne\n';

describe('line hunks', () => {
  it('splits keeping newlines and finds replaced, inserted and removed lines in base coordinates', () => {
    expect(splitLines('x\ny')).toEqual(['x\n', 'y']);
    expect(lineHunks(splitLines(base), splitLines('a\nB\nc\nd\ne\nf\n'))).toEqual([
      { start: 1, end: 2, lines: ['B\n'] },
      { start: 5, end: 5, lines: ['f\n'] },
    ]);
    expect(lineHunks(splitLines(base), splitLines('a\nc\nd\ne\n'))).toEqual([{ start: 1, end: 2, lines: [] }]);
  });

  it('counts overlapping ranges and insertions at the edge of a change as overlapping, neighbours not', () => {
    expect(overlaps({ start: 1, end: 3, lines: [] }, { start: 2, end: 4, lines: [] })).toBe(true);
    expect(overlaps({ start: 0, end: 2, lines: [] }, { start: 2, end: 4, lines: [] })).toBe(false);
    expect(overlaps({ start: 2, end: 2, lines: [] }, { start: 2, end: 4, lines: [] })).toBe(true);
    expect(overlaps({ start: 3, end: 3, lines: [] }, { start: 3, end: 3, lines: [] })).toBe(true);
    expect(overlaps({ start: 1, end: 1, lines: [] }, { start: 2, end: 4, lines: [] })).toBe(false);
  });
});

describe('three-way text comparison', () => {
  it('finds no conflict when the sides change different lines, and merges both', () => {
    const main = 'a\nB\nc\nd\ne\n';
    const branch = 'a\nb\nc\nD\ne\n';
    expect(compareText(base, main, branch).conflicts).toEqual([]);
    expect(mergeLines(base, main, branch, () => 'ours')).toBe('a\nB\nc\nD\ne\n');
  });

  it("reports overlapping changes as one conflict with each side's text, and the same change on both as none", () => {
    const main = 'a\nb-main\nc-main\nd\ne\n';
    const branch = 'a\nb\nc-branch\nd\ne\n';
    const { conflicts } = compareText(base, main, branch);
    expect(conflicts).toEqual([
      { start: 1, end: 3, main: 'b-main\nc-main\n', branch: 'b\nc-branch\n', base: 'b\nc\n' },
    ]);
    expect(conflictKey(conflicts[0]!)).toBe('L2-3');
    expect(compareText(base, main, main).conflicts).toEqual([]);
  });

  it('treats two insertions at the same place as a conflict (the CRDT would interleave them)', () => {
    const { conflicts } = compareText(base, 'a\nb\nX\nc\nd\ne\n', 'a\nb\nY\nc\nd\ne\n');
    expect(conflicts).toHaveLength(1);
    expect(conflictKey(conflicts[0]!)).toBe('L3+');
  });

  it('merges a conflict with the chosen side and everything else from both', () => {
    const main = 'A\nb\nc-main\nd\ne\n';
    const branch = 'a\nb\nc-branch\nd\nE\n';
    expect(mergeLines(base, main, branch, () => 'theirs')).toBe('A\nb\nc-branch\nd\nE\n');
    expect(mergeLines(base, main, branch, () => 'ours')).toBe('A\nb\nc-main\nd\nE\n');
    // Adjacent changed lines are one hunk: a conflict takes the chosen side's hunk whole.
    expect(mergeLines(base, 'A\nb-main\nc\nd\ne\n', 'a\nb-branch\nc\nd\ne\n', () => 'theirs')).toBe(
      'a\nb-branch\nc\nd\ne\n',
    );
  });
});

describe('document diff and merge', () => {
  function tokensDoc(values: Record<string, string>): Y.Doc {
    const doc = new Y.Doc();
    for (const [path, $value] of Object.entries(values)) writeToken(doc, path, { $value, $type: 'color' });
    return doc;
  }

  it('lists branch changes, main changes and field conflicts, and merges with the choices', () => {
    const baseDoc = tokensDoc({ 'color.a': '#000000', 'color.b': '#111111', 'color.c': '#222222' });
    const fork = Y.encodeStateAsUpdate(baseDoc);
    const main = new Y.Doc();
    const branch = new Y.Doc();
    Y.applyUpdate(main, fork);
    Y.applyUpdate(branch, fork);
    const vector = Y.encodeStateVector(branch);
    writeToken(main, 'color.a', { $value: '#aa0000', $type: 'color' });
    writeToken(main, 'color.b', { $value: '#bb0000', $type: 'color' });
    writeToken(branch, 'color.a', { $value: '#00aa00', $type: 'color' });
    writeToken(branch, 'color.c', { $value: '#00cc00', $type: 'color' });
    const doc = 'tokens:x';
    const diff = diffDocument(doc, flatten(baseDoc, 'tokens'), flatten(main, 'tokens'), flatten(branch, 'tokens'));
    expect(diff.branch.map((e) => e.field)).toEqual(['token/color.a/$value', 'token/color.c/$value']);
    expect(diff.main.map((e) => e.field)).toEqual(['token/color.a/$value', 'token/color.b/$value']);
    expect(diff.conflicts.map((c) => c.id)).toEqual(['tokens:x#token/color.a/$value']);

    // A live peer of main keeps editing while the merge lands; both converge on the merge.
    const peer = new Y.Doc();
    Y.applyUpdate(peer, Y.encodeStateAsUpdate(main));
    const update = Y.encodeStateAsUpdate(branch, vector);
    let merged: Uint8Array | null = null;
    main.on('update', (u: Uint8Array) => (merged = u));
    main.transact(() =>
      applyMerge(
        main,
        'tokens',
        doc,
        update,
        flatten(baseDoc, 'tokens'),
        flatten(branch, 'tokens'),
        new Map([[diff.conflicts[0]!.id, 'theirs']]),
      ),
    );
    writeToken(peer, 'color.d', { $value: '#dddddd', $type: 'color' });
    Y.applyUpdate(peer, merged!);
    Y.applyUpdate(main, Y.encodeStateAsUpdate(peer));
    const values = Object.fromEntries([...readTokens(main)].map(([p, t]) => [p, t.$value]));
    expect(values).toEqual({ 'color.a': '#00aa00', 'color.b': '#bb0000', 'color.c': '#00cc00', 'color.d': '#dddddd' });
    expect(Object.fromEntries([...readTokens(peer)].map(([p, t]) => [p, t.$value]))).toEqual(values);
  });

  it('merges a mode value and a mode fallback the branch set, and lists a fallback conflict', () => {
    const baseDoc = tokensDoc({ 'color.a': '#000000' });
    const fork = Y.encodeStateAsUpdate(baseDoc);
    const main = new Y.Doc();
    const branch = new Y.Doc();
    Y.applyUpdate(main, fork);
    Y.applyUpdate(branch, fork);
    const vector = Y.encodeStateVector(branch);
    writeToken(branch, 'color.a', { $value: '#000000', $type: 'color', modes: { dark: '#ffffff' } });
    writeModeFallback(branch, 'dim', 'dark');
    writeModeFallback(branch, 'hc', 'dark');
    writeModeFallback(main, 'hc', 'light');
    const diff = diffDocument(
      'tokens:x',
      flatten(baseDoc, 'tokens'),
      flatten(main, 'tokens'),
      flatten(branch, 'tokens'),
    );
    expect(diff.branch.map((e) => e.field)).toEqual(['modeFallback/dim', 'modeFallback/hc', 'token/color.a/modes']);
    expect(diff.conflicts.map((c) => c.field)).toEqual(['modeFallback/hc']);
    const update = Y.encodeStateAsUpdate(branch, vector);
    main.transact(() =>
      applyMerge(
        main,
        'tokens',
        'tokens:x',
        update,
        flatten(baseDoc, 'tokens'),
        flatten(branch, 'tokens'),
        new Map([['tokens:x#modeFallback/hc', 'ours']]),
      ),
    );
    expect(readModeFallbacks(main)).toEqual({ dim: 'dark', hc: 'light' });
    expect(readTokens(main).get('color.a')?.modes).toEqual({ dark: '#ffffff' });
  });
});
