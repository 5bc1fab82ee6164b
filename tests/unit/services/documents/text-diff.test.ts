import { describe, expect, it } from '@jest/globals';
import { boundedDiff, type DiffPart } from '../../../../src/services/documents/text-diff.ts';

const before = (parts: DiffPart[]) =>
  parts
    .filter((p) => !p.added)
    .map((p) => p.value)
    .join('');
const after = (parts: DiffPart[]) =>
  parts
    .filter((p) => !p.removed)
    .map((p) => p.value)
    .join('');

/** Deterministic pseudo-random text of lines. */
function text(seed: number, length: number): string {
  let x = seed;
  let out = '';
  while (out.length < length) {
    x = (x * 1103515245 + 12345) % 2 ** 31;
    out += x % 7 === 0 ? '\n' : String.fromCharCode(97 + (x % 26));
  }
  return out;
}

describe('boundedDiff', () => {
  it('finds the exact small edit', () => {
    expect(boundedDiff('hello world', 'hello brave world')).toEqual([
      { value: 'hello ', added: false, removed: false },
      { value: 'brave ', added: true, removed: false },
      { value: 'world', added: false, removed: false },
    ]);
  });

  it.each([
    ['empty to text', '', 'abc'],
    ['text to empty', 'abc', ''],
    ['identical', 'same\ntext', 'same\ntext'],
    ['scattered edits', text(1, 5000), text(1, 5000).replace(/a/g, 'A')],
    ['unrelated 500k texts', text(2, 500_000), text(3, 500_000)],
    [
      '4,000 characters replaced in 500k',
      text(4, 500_000),
      `${text(4, 500_000).slice(0, 200_000)}${'z'.repeat(4000)}${text(4, 500_000).slice(204_000)}`,
    ],
    ['8,000 scattered single-character edits in 500k', text(5, 500_000), text(5, 500_000).replace(/q/g, 'Q')],
  ])('always describes a correct transformation: %s', (_label, from, to) => {
    const parts = boundedDiff(from, to);
    expect(before(parts)).toBe(from);
    expect(after(parts)).toBe(to);
  });

  it('keeps an edit inside a word precise, and replaces an unrelated word whole', () => {
    const changed = (from: string, to: string) => boundedDiff(from, to).filter((p) => p.added || p.removed);
    expect(changed('const Button = 1;\nnext', 'const Buttons = 1;\nnext')).toEqual([
      { value: 's', added: true, removed: false },
    ]);
    // Stray characters the two ids share are not kept as matches: one removal, one addition.
    expect(changed('id: k3f9a2x7 done', 'id: 9xk2a7f3 done')).toEqual([
      { value: 'k3f9a2x7', added: false, removed: true },
      { value: '9xk2a7f3', added: true, removed: false },
    ]);
  });

  it('keeps a small edit in a huge text precise', () => {
    const base = text(6, 500_000);
    const next = `${base.slice(0, 250_000)}INSERTED${base.slice(250_000)}`;
    const changed = boundedDiff(base, next).filter((p) => p.added || p.removed);
    expect(changed).toEqual([{ value: 'INSERTED', added: true, removed: false }]);
  });
});
