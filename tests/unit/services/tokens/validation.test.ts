import { describe, expect, it } from '@jest/globals';
import { importTokenFiles } from '../../../../src/services/tokens/import/index.ts';
import type { TokenMap } from '../../../../src/services/tokens/token.types.ts';
import { validateTokens } from '../../../../src/services/tokens/validate.ts';

const summary = (problems: { path: string; code: string }[]) => problems.map((p) => `${p.code} ${p.path}`).sort();

describe('token validation on import', () => {
  it('lists every problem of a bad DTCG file with its path', () => {
    const bad = `{
      // JSON5 comments are fine
      color: {
        $type: 'color',
        ok: { $value: '#ffffff' },
        broken: { $value: '{color.missing}' },
        group: { $value: '{color}' },
        a: { $value: '{color.b}' },
        b: { $value: '{color.c}' },
        c: { $value: '{color.a}' },
        notAColor: { $value: 'banana!' },
        badSpace: { $value: { colorSpace: 'cmyk', components: [1, 2, 3] } },
      },
      size: {
        bad: { $type: 'dimension', $value: '12 parsecs' },
        unit: { $type: 'dimension', $value: { value: 4, unit: 'furlong' } },
        time: { $type: 'duration', $value: { value: 'fast', unit: 'ms' } },
        weight: { $type: 'fontWeight', $value: 1200 },
        count: { $type: 'number', $value: 'many' },
        curve: { $type: 'cubicBezier', $value: [2, 0, 1] },
        family: { $type: 'fontFamily', $value: 42 },
        shadow: { $type: 'shadow', $value: { color: '#000', offsetX: 'far' } },
        type: { $type: 'typography', $value: { fontSize: '16px' } },
        border: { $type: 'border', $value: { color: '#000', width: '1px', style: 'wiggly' } },
        transition: { $type: 'transition', $value: { duration: '1 year', timingFunction: [0, 0, 1, 1] } },
        gradient: { $type: 'gradient', $value: [{ color: '#000', position: 3 }] },
        stroke: { $type: 'strokeStyle', $value: 'zigzag' },
      },
      '$weird': { x: { $value: 1 } },
      'has.dot': { $value: 1, $type: 'number' },
      'curly{': { $value: 1, $type: 'number' },
      empty: { $type: 'number', $value: null },
    }`;
    const { problems } = importTokenFiles([{ path: 'bad.json5', content: bad }]);
    expect(summary(problems)).toEqual(
      [
        'broken_alias color.broken',
        'broken_alias color.group',
        'alias_cycle color.a',
        'alias_cycle color.b',
        'alias_cycle color.c',
        'invalid_value color.notAColor',
        'invalid_value color.badSpace',
        'invalid_value size.bad',
        'invalid_value size.unit',
        'invalid_value size.time',
        'invalid_value size.weight',
        'invalid_value size.count',
        'invalid_value size.curve',
        'invalid_value size.family',
        'invalid_value size.shadow',
        'invalid_value size.type',
        'invalid_value size.border',
        'invalid_value size.transition',
        'invalid_value size.gradient',
        'invalid_value size.stroke',
        'illegal_name $weird',
        'illegal_name has.dot',
        'illegal_name curly{',
        'missing_value empty',
      ].sort(),
    );
    expect(problems.find((p) => p.path === 'color.group')?.message).toMatch(/group/);
    expect(problems.find((p) => p.path === 'color.a')?.message).toMatch(/color\.a → color\.b → color\.c → color\.a/);
    expect(problems.find((p) => p.path === 'size.border')?.message).toMatch(/style/);
  });

  it('rejects __proto__, constructor and prototype keys without polluting Object.prototype', () => {
    const evil = `{
      "__proto__": { "polluted": { "$value": 1 } },
      "a": { "constructor": { "prototype": { "polluted": true } }, "b": { "$value": "#fff", "$type": "color" } },
      "c": { "$value": { "colorSpace": "srgb", "components": [0, 0, 0], "__proto__": { "polluted": true } }, "$type": "color" }
    }`;
    const { tokens, problems } = importTokenFiles([{ path: 'evil.json', content: evil }]);
    expect(summary(problems)).toEqual([
      'forbidden_key __proto__',
      'forbidden_key a.constructor',
      'forbidden_key c.$value.__proto__',
    ]);
    expect(problems.every((p) => p.file === 'evil.json')).toBe(true);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.prototype).not.toHaveProperty('polluted');
    expect([...tokens.keys()].sort()).toEqual(['a.b', 'c']);
  });

  it('reports invalid JSON per file and still imports the good ones', () => {
    const { tokens, problems } = importTokenFiles([
      { path: 'broken.json', content: '{ "a": { "$value": ' },
      { path: 'list.json', content: '[1, 2]' },
      { path: 'good.json', content: '{ "x": { "$value": 1, "$type": "number" } }' },
    ]);
    expect(summary(problems)).toEqual(['invalid_json broken.json', 'invalid_json list.json']);
    expect(tokens.get('x')?.$value).toBe(1);
  });

  it('resolves aliases against existing tokens, and validates single tokens for CRUD writes', () => {
    const existing: TokenMap = new Map([['base.blue', { $value: '#0000ff', $type: 'color' }]]);
    const content = JSON.stringify({ brand: { $value: '{base.blue}' } });
    expect(importTokenFiles([{ path: 'a.json', content }]).problems.map((p) => p.code)).toEqual(['broken_alias']);
    expect(importTokenFiles([{ path: 'a.json', content }], { existing }).problems).toEqual([]);

    const write: TokenMap = new Map([['brand.__proto__', { $value: '{base.blue}', $type: 'color' }]]);
    expect(summary(validateTokens(write, existing))).toEqual(['forbidden_key brand.__proto__']);
    // An alias inherits its target's type, so a value check does not apply to it.
    expect(validateTokens(new Map([['x', { $value: '{base.blue}' }]]), existing)).toEqual([]);
    expect(summary(validateTokens(new Map([['x', { $value: '12px', $type: 'color' }]]), existing))).toEqual([
      'invalid_value x',
    ]);
  });
});
