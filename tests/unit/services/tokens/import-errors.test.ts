// Issue 17 item 6: strict colours and dimensions, unknown and conflicting types, and problems that
// say where they are (file, line, column), also in a 10k-token file.
import { describe, expect, it } from '@jest/globals';
import { importTokenFiles } from '../../../../src/services/tokens/import/index.ts';

const one = (token: Record<string, unknown>) =>
  importTokenFiles([{ path: 'tokens.json', content: JSON.stringify({ a: { b: token } }, null, 2) }]);

describe('strict colours', () => {
  it.each([
    ['nope', 'unknown color name or function'],
    ['rgb(1,2)', 'wrong number of components'],
    ['hsl(400deg,300%,2)', 'not allowed for Lightness'],
    ['hsl(10, 300%, 20%)', 'saturation and lightness must be 0%–100%'],
    ['rgb(300, 0, 0)', 'red, green and blue must be 0–255'],
    ['rgba(0, 0, 0, 2)', 'alpha must be 0–1'],
    ['#12345', 'is not a color'],
    ['color(foo 1 2 3)', 'unknown color name or function'],
  ])('refuses %s with the token path', (value, why) => {
    const { problems } = one({ $type: 'color', $value: value });
    expect(problems).toEqual([expect.objectContaining({ path: 'a.b', code: 'invalid_value' })]);
    expect(problems[0]!.message).toContain(`"${value}" is not a color`);
    expect(problems[0]!.message).toContain(why);
  });

  it.each([
    '#0969da',
    'rebeccapurple',
    'transparent',
    'rgb(9 105 218 / 40%)',
    'rgba(9, 105, 218, 0.4)',
    'hsl(212deg 92% 45%)',
    'oklch(0.7 0.1 200)',
    'color(display-p3 1 0 0)',
  ])('accepts %s', (value) => {
    expect(one({ $type: 'color', $value: value }).problems).toEqual([]);
  });
});

describe('strict dimensions', () => {
  it.each([
    '16 px',
    'px',
    '1..2px',
    '16pixels',
    '+4px',
    { value: '16', unit: 'px' },
    { value: 16, unit: 'pixels' },
    16,
  ])('refuses %j', (value) => {
    expect(one({ $type: 'dimension', $value: value }).problems).toEqual([
      expect.objectContaining({ path: 'a.b', code: 'invalid_value' }),
    ]);
  });
});

describe('types', () => {
  it('keeps a token of an unknown $type, with a warning', () => {
    const result = one({ $type: 'custom-viewportRange', $value: '(min-width: 768px)' });
    expect(result.problems).toEqual([]);
    expect(result.tokens.get('a.b')?.$value).toBe('(min-width: 768px)');
    expect(result.warnings).toEqual([
      expect.objectContaining({ path: 'a.b', code: 'unknown_type', file: 'tokens.json', line: 3 }),
    ]);
  });

  it('refuses a later file that changes the type of a token, naming both files', () => {
    const result = importTokenFiles([
      { path: 'base.json', content: JSON.stringify({ space: { md: { $type: 'dimension', $value: '8px' } } }) },
      { path: 'brand.json', content: JSON.stringify({ space: { md: { $type: 'color', $value: '#fff' } } }) },
    ]);
    expect(result.problems).toEqual([
      expect.objectContaining({ path: 'space.md', code: 'conflict', file: 'brand.json' }),
    ]);
    expect(result.problems[0]!.message).toContain(
      '$type "color" in brand.json conflicts with $type "dimension" in base.json',
    );
  });

  it('lets a later file override a value of the same type', () => {
    const result = importTokenFiles([
      { path: 'base.json', content: JSON.stringify({ space: { md: { $type: 'dimension', $value: '8px' } } }) },
      { path: 'brand.json', content: JSON.stringify({ space: { md: { $type: 'dimension', $value: '12px' } } }) },
    ]);
    expect(result.problems).toEqual([]);
    expect(result.tokens.get('space.md')?.$value).toBe('12px');
  });
});

describe('where a problem is', () => {
  it('names file, line and column of a missing alias in a 10k-token file', () => {
    const group: Record<string, unknown> = {};
    for (let i = 0; i < 10_000; i++)
      group[`t${i}`] = {
        $type: 'dimension',
        $value: i === 7_321 ? '{size.nowhere}' : `${i}px`,
        $description: `token ${i}`,
      };
    const content = JSON.stringify({ size: group }, null, 2);
    const lines = content.split('\n');
    const line = lines.findIndex((l) => l.includes('"t7321":')) + 1;
    const column = lines[line - 1]!.indexOf('"t7321"') + 1;
    expect(line).toBeGreaterThan(30_000);

    const started = performance.now();
    const { problems } = importTokenFiles([{ path: 'big.tokens.json', content }]);
    const elapsed = performance.now() - started;
    expect(problems).toEqual([
      {
        path: 'size.t7321',
        code: 'broken_alias',
        file: 'big.tokens.json',
        line,
        column,
        message: '{size.nowhere} does not exist',
      },
    ]);
    // Generous: this catches a quadratic scan, not a slow machine (about 0.5 s here, unloaded).
    expect(elapsed).toBeLessThan(20_000);
  });

  it('finds tokens in JSON5 (comments, unquoted and single-quoted keys) and in the file that defined them', () => {
    const json5 =
      "{\n  // sizes\n  size: {\n    /* the base */\n    base: { $type: 'dimension', $value: '4px' },\n    'gap': { $type: 'dimension', $value: '{size.missing}' },\n  },\n}\n";
    const result = importTokenFiles([
      { path: 'a.json5', content: '{ "color": { "x": { "$type": "color", "$value": "#fff" } } }' },
      { path: 'b.json5', content: json5 },
    ]);
    expect(result.problems).toEqual([
      expect.objectContaining({ path: 'size.gap', file: 'b.json5', line: 6, column: 5 }),
    ]);
  });

  it('places problems of a token written as a group $root, and of Tokens Studio sets in one file', () => {
    const dtcg = importTokenFiles([
      { path: 'r.json', content: '{\n  "accent": {\n    "$root": { "$type": "color", "$value": "nope" }\n  }\n}' },
    ]);
    expect(dtcg.problems).toEqual([expect.objectContaining({ path: 'accent', line: 3, column: 5 })]);
    const studio = importTokenFiles([
      {
        path: 's.json',
        content:
          '{\n  "core": {\n    "bg": { "value": "nope", "type": "color" }\n  },\n  "$metadata": { "tokenSetOrder": ["core"] }\n}',
      },
    ]);
    expect(studio.problems).toEqual([expect.objectContaining({ path: 'bg', file: 's.json', line: 3, column: 5 })]);
  });
});
