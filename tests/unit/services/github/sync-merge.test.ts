// The three-way plan of an import: what the repository changed is applied where Ensemble left it
// alone, a change on both sides is a conflict, the same change on both sides is not.
import { describe, expect, it } from '@jest/globals';
import { planMerge } from '../../../../src/services/github/sync-merge.ts';
import type { Token } from '../../../../src/services/tokens/token.types.ts';

const t = ($value: unknown, extra: Partial<Token> = {}): Token => ({ $value, $type: 'color', ...extra });
const file = 'tokens/tokens.json';
const plan = (
  base: Record<string, Token>,
  ensemble: Record<string, Token>,
  repository: Record<string, Token>,
  changed = [file],
) =>
  planMerge({
    base,
    ensemble: new Map(Object.entries(ensemble)),
    repository: new Map(Object.entries(repository).map(([path, token]) => [path, { token, file }])),
    changedFiles: new Set(changed),
    fileOf: () => file,
  });

describe('planMerge', () => {
  it('applies what only the repository changed, and moves the base', () => {
    const p = plan({ a: t('#000') }, { a: t('#000') }, { a: t('#fff'), b: t('#111') });
    expect([...p.writes]).toEqual([
      ['a', t('#fff')],
      ['b', t('#111')],
    ]);
    expect(p.conflicts).toEqual([]);
    expect(p.nextBase).toEqual({ a: t('#fff'), b: t('#111') });
  });

  it('leaves what the repository did not change, whatever Ensemble did', () => {
    const p = plan({ a: t('#000') }, { a: t('#123') }, { a: t('#000') });
    expect(p.writes.size + p.deletes.length + p.conflicts.length).toBe(0);
  });

  it('reports a token changed to different values on both sides, and keeps its base', () => {
    const p = plan({ a: t('#000') }, { a: t('#111') }, { a: t('#222') });
    expect(p.writes.size).toBe(0);
    expect(p.conflicts).toEqual([{ path: 'a', file, base: t('#000'), ensemble: t('#111'), repository: t('#222') }]);
    expect(p.nextBase).toEqual({ a: t('#000') });
  });

  it('takes the same change on both sides as agreement, whatever the key order', () => {
    const p = plan({ a: t('#000') }, { a: { $type: 'color', $value: '#fff' } }, { a: t('#fff') });
    expect(p.conflicts).toEqual([]);
    expect(p.writes.size).toBe(0);
    expect(p.nextBase.a).toEqual(t('#fff'));
  });

  it('deletes a token gone from a changed file when Ensemble left it alone; a changed one is a conflict', () => {
    const p = plan({ a: t('#000'), b: t('#000') }, { a: t('#000'), b: t('#999') }, {});
    expect(p.deletes).toEqual(['a']);
    expect(p.conflicts.map((c) => c.path)).toEqual(['b']);
    expect(p.nextBase).toEqual({ b: t('#000') });
  });

  it('does not touch tokens of files the push did not change', () => {
    const p = plan({ a: t('#000') }, { a: t('#000') }, {}, ['tokens/dark.json']);
    expect(p.deletes).toEqual([]);
  });
});
