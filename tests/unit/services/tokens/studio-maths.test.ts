// Issue 17 item 3: Tokens Studio maths, colour modifiers and rgba(), evaluated in every format. The
// modifier cases are Tokens Studio's own documented results (sd-transforms' colour-modifier tests,
// which the plugin shares), written as sRGB hex.
import { describe, expect, it } from '@jest/globals';
import { exportTokens } from '../../../../src/services/tokens/export/index.ts';
import { importTokenFiles } from '../../../../src/services/tokens/import/index.ts';
import { evaluate, formatQuantity, isExpression } from '../../../../src/services/tokens/math.ts';

const studio = (sets: Record<string, unknown>) =>
  importTokenFiles([
    { path: 'tokens.json', content: JSON.stringify({ ...sets, $metadata: { tokenSetOrder: Object.keys(sets) } }) },
  ]);
const declarations = (css: string) =>
  Object.fromEntries([...css.matchAll(/(--[\w-]+): ([^;]+);/g)].map((m) => [m[1], m[2]]));
const modified = (value: string, modify: Record<string, unknown>) => ({
  value,
  type: 'color',
  $extensions: { 'studio.tokens': { modify } },
});

describe('the expression evaluator', () => {
  it.each([
    ['4px * 2', '8px'],
    ['(4px + 2px) * 3', '18px'],
    ['16px / 2', '8px'],
    ['16px / 4px', '4'],
    ['-2rem + 3rem', '1rem'],
    ['1.5 * (2 + 2)', '6'],
    ['100% / 3', '33.3333%'],
    ['0.5 + 6 * 0.04', '0.74'],
  ])('%s = %s', (text, result) => {
    expect(formatQuantity(evaluate(text))).toBe(result);
  });

  it.each([
    ['4px + 1rem', 'cannot add rem to px'],
    ['4px * 2px', 'cannot multiply px by px'],
    ['4px - 2', 'cannot subtract a plain number from px'],
    ['4px / 0', 'division by zero'],
    ['(4px * 2', 'a "(" is not closed'],
    ['4pt * 2', 'unknown unit "pt"'],
    ['4px *', 'the expression ends too early'],
  ])('refuses %s: %s', (text, why) => {
    expect(() => evaluate(text)).toThrow(why);
  });

  it('tells maths from lone values and shorthands', () => {
    expect(isExpression('8px * 2')).toBe(true);
    expect(isExpression('-4px')).toBe(false);
    expect(isExpression('0 0 0 1px')).toBe(false);
    expect(isExpression('inset 0 1px')).toBe(false);
  });
});

describe('Tokens Studio maths in exports', () => {
  const sets = {
    core: {
      spacing: {
        base: { value: '4', type: 'spacing' },
        lg: { value: '{spacing.base} * 2', type: 'spacing' },
        xl: { value: '({spacing.lg} + {spacing.base}) * 2', type: 'spacing' },
      },
      scale: { ratio: { value: '1.25', type: 'number' }, double: { value: '{scale.ratio} * 2', type: 'number' } },
      font: {
        base: { value: '16', type: 'fontSizes' },
        body: { value: { fontFamily: 'Inter', fontSize: '{font.base} * 1.25', fontWeight: 400 }, type: 'typography' },
      },
    },
  };

  it('CSS, JS, Swift and Android get the evaluated value', async () => {
    const { tokens, problems } = studio(sets);
    expect(problems).toEqual([]);
    const css = declarations((await exportTokens(tokens, 'css')).content);
    expect(css).toMatchObject({
      '--spacing-lg': '8px',
      '--spacing-xl': '24px',
      '--scale-double': '2.5',
      '--font-body': '400 20px Inter',
    });
    expect(declarations((await exportTokens(tokens, 'css', { outputReferences: true })).content)['--spacing-lg']).toBe(
      '8px',
    );
    expect(declarations((await exportTokens(tokens, 'css', { remBase: 16 })).content)['--spacing-lg']).toBe('0.5rem');
    expect((await exportTokens(tokens, 'js')).content).toContain('export const spacingLg = "8px";');
    expect((await exportTokens(tokens, 'ios-swift')).content).toContain('spacingXl = CGFloat(24)');
    expect((await exportTokens(tokens, 'android-xml')).content).toContain('<dimen name="spacing_lg">8dp</dimen>');
  });

  it('refuses mixed units at import with the token path and why', () => {
    const { problems } = studio({
      core: {
        a: { value: '4px', type: 'spacing' },
        b: { value: '1rem', type: 'spacing' },
        c: { value: '{a} + {b}', type: 'spacing' },
      },
    });
    expect(problems).toEqual([expect.objectContaining({ path: 'c', code: 'invalid_value' })]);
    expect(problems[0]!.message).toContain('"{a} + {b}" (4px + 1rem) cannot be evaluated: cannot add rem to px');
  });
});

describe('Tokens Studio colour modifiers (documented results)', () => {
  it.each([
    ['darken', 'hsl', '#9c3333'],
    ['darken', 'lch', '#983735'],
    ['darken', 'p3', '#9b3535'],
    ['darken', 'srgb', '#9a3535'],
    ['lighten', 'hsl', '#cd6868'], // hsl(0 50.6% 60.6%)
    ['lighten', 'srgb', '#cd6868'], // rgb(80.5% 40.7% 40.7%)
    ['alpha', 'srgb', '#c1424233'], // rgb(75.7% 25.9% 25.9% / 0.2)
  ])('%s 0.2 in %s of #C14242 → %s', async (type, space, hex) => {
    const { tokens, problems } = studio({
      core: { base: { value: '#C14242', type: 'color' }, out: modified('{base}', { type, value: '0.2', space }) },
    });
    expect(problems).toEqual([]);
    expect(declarations((await exportTokens(tokens, 'css')).content)['--out']).toBe(hex);
  });

  it.each([
    ['srgb', '#808080'],
    ['hsl', '#808080'], // hsl(0 0% 50%)
    ['lch', '#777777'], // lch(50 0 0)
  ])('mix black with white 0.5 in %s → %s', async (space, hex) => {
    const { tokens } = studio({
      core: { out: modified('#000000', { type: 'mix', value: '0.5', color: '#FFFFFF', space }) },
    });
    expect(declarations((await exportTokens(tokens, 'css')).content)['--out']).toBe(hex);
  });

  it('evaluates maths and references in the modifier (mix 0.5 + 6 * 0.04 of #4477DD into white → #759ae6)', async () => {
    const { tokens, problems } = studio({
      core: {
        blue: { value: '#4477DD', type: 'color' },
        out: modified('#FFFFFF', { type: 'mix', value: '0.5 + 6 * 0.04', color: '{blue}', space: 'srgb' }),
      },
    });
    expect(problems).toEqual([]);
    expect(declarations((await exportTokens(tokens, 'css')).content)['--out']).toBe('#759ae6');
    expect((await exportTokens(tokens, 'android-xml')).content).toContain('<color name="out">#ff759ae6</color>');
  });

  it('leaves the colour as it is without a space, and refuses an unknown modifier at import', () => {
    expect(studio({ core: { out: modified('#C14242', { type: 'darken', value: '0.2' }) } }).problems).toEqual([]);
    const { problems } = studio({ core: { out: modified('#C14242', { type: 'blur', value: '0.2', space: 'srgb' }) } });
    expect(problems).toEqual([expect.objectContaining({ path: 'out', code: 'invalid_value' })]);
    expect(problems[0]!.message).toContain('unknown modifier type "blur"');
  });

  it('an alias of a modified colour gets the modified colour', async () => {
    const { tokens } = studio({
      core: {
        base: { value: '#C14242', type: 'color' },
        dark: modified('{base}', { type: 'darken', value: '0.2', space: 'srgb' }),
        use: { value: '{dark}', type: 'color' },
      },
    });
    expect(declarations((await exportTokens(tokens, 'css')).content)['--use']).toBe('#9a3535');
    expect((await exportTokens(tokens, 'ios-swift')).content).toMatch(
      /use = UIColor\(red: 0.604, green: 0.208, blue: 0.208, alpha: 1\)/,
    );
  });
});

describe('rgba(colour, alpha)', () => {
  it('evaluates a hex or a reference with an alpha, in CSS and natively', async () => {
    const { tokens, problems } = studio({
      core: {
        blue: { value: '#0969da', type: 'color' },
        literal: { value: 'rgba(#0969da, 0.4)', type: 'color' },
        ref: { value: 'rgba({blue}, 0.4)', type: 'color' },
        shadow: {
          value: { x: 0, y: 1, blur: 2, spread: 0, color: 'rgba({blue}, 0.5)', type: 'dropShadow' },
          type: 'boxShadow',
        },
      },
    });
    expect(problems).toEqual([]);
    const css = declarations((await exportTokens(tokens, 'css')).content);
    expect(css).toMatchObject({ '--literal': '#0969da66', '--ref': '#0969da66', '--shadow': '0 1px 2px 0 #0969da80' });
    expect((await exportTokens(tokens, 'android-xml')).content).toContain('<color name="ref">#660969da</color>');
  });

  it('refuses an rgba() of something that is not a colour', () => {
    const { problems } = studio({ core: { bad: { value: 'rgba(#zzzzzz, 0.4)', type: 'color' } } });
    expect(problems).toEqual([expect.objectContaining({ path: 'bad', code: 'invalid_value' })]);
  });
});

describe('modifiers meet Primer alpha', () => {
  it('an alpha on an alias of a modified colour applies to the modified colour', async () => {
    const { tokens } = importTokenFiles([
      {
        path: 'tokens.json',
        content: JSON.stringify({
          red: { $type: 'color', $value: '#C14242' },
          dark: {
            $type: 'color',
            $value: '{red}',
            $extensions: { 'studio.tokens': { modify: { type: 'darken', value: 0.2, space: 'srgb' } } },
          },
          veil: { $type: 'color', $value: '{dark}', alpha: 0.5 },
          drop: {
            $type: 'shadow',
            $value: { color: '{dark}', alpha: 0.5, offsetX: '0px', offsetY: '1px', blur: '2px' },
          },
        }),
      },
    ]);
    const css = declarations((await exportTokens(tokens, 'css')).content);
    expect(css).toMatchObject({ '--veil': '#9a353580', '--drop': '0 1px 2px 0 #9a353580' });
  });
});
