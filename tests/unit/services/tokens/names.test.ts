// Issue 17 item 4: names never collide, reserved words never reach the code, Unicode survives where
// the platform allows it.
import { describe, expect, it } from '@jest/globals';
import { transform } from 'esbuild';
import { exportTokens, TokenNameError } from '../../../../src/services/tokens/export/index.ts';
import { importTokenFiles } from '../../../../src/services/tokens/import/index.ts';
import { nameProblems } from '../../../../src/services/tokens/name-collisions.ts';
import type { ExportFormat, TokenMap } from '../../../../src/services/tokens/token.types.ts';

const load = (data: unknown) => importTokenFiles([{ path: 'tokens.json', content: JSON.stringify(data) }]);
const dim = (px: number) => ({ $type: 'dimension', $value: `${px}px` });

async function exportError(tokens: TokenMap, format: ExportFormat, prefix?: string): Promise<TokenNameError> {
  try {
    await exportTokens(tokens, format, prefix ? { prefix } : {});
  } catch (err) {
    if (err instanceof TokenNameError) return err;
    throw err;
  }
  throw new Error(`${format} export did not refuse`);
}

describe('name collisions', () => {
  it('refuses at import two paths that CSS names alike, naming both, the name and the platform', () => {
    const result = load({ size: { 'small-1': dim(4), small: { 1: dim(5) } } });
    expect(result.problems).toEqual([
      {
        path: 'size.small.1',
        code: 'name_collision',
        paths: ['size.small-1', 'size.small.1'],
        name: 'size-small-1',
        platform: 'css',
        message: '"size.small-1" and "size.small.1" are both named "size-small-1" on css',
        file: 'tokens.json',
        line: 1,
        column: 66,
      },
    ]);
  });

  it('accepts with a warning what collides only in camelCase, and refuses that export with a precise error', async () => {
    const result = load({
      focus: { 'outline-color': { $type: 'color', $value: '#000' }, outlineColor: { $type: 'color', $value: '#111' } },
    });
    expect(result.problems).toEqual([]);
    expect(result.warnings.map((w) => w.message)).toEqual([
      '"focus.outline-color" and "focus.outlineColor" are both named "focusOutlineColor" on javascript',
      '"focus.outline-color" and "focus.outlineColor" are both named "focusOutlineColor" on typescript',
      '"focus.outline-color" and "focus.outlineColor" are both named "focusOutlineColor" on swift',
      '"focus.outline-color" and "focus.outlineColor" are both named "focus_outline_color" on android',
    ]);
    expect((await exportTokens(result.tokens, 'css')).content).toContain('--focus-outlineColor: #111111;');
    const js = await exportError(result.tokens, 'js');
    expect(js.problems).toEqual([
      expect.objectContaining({
        code: 'name_collision',
        paths: ['focus.outline-color', 'focus.outlineColor'],
        name: 'focusOutlineColor',
        platform: 'javascript',
      }),
    ]);
    expect((await exportError(result.tokens, 'android-xml')).problems[0]).toMatchObject({
      name: 'focus_outline_color',
      platform: 'android',
    });
  });

  it('checks the names an export writes, prefix included', async () => {
    const { tokens } = load({ a: { 'b-c': dim(1) }, x: dim(2) });
    tokens.set('a.b.c', { $type: 'dimension', $value: '3px' });
    expect((await exportError(tokens, 'scss', 'ds')).problems[0]).toMatchObject({
      paths: ['a.b-c', 'a.b.c'],
      name: 'ds-a-b-c',
      platform: 'css',
    });
  });

  it('reports only problems that involve the paths concerned (an import beside stored tokens)', () => {
    expect(nameProblems(['a-b', 'a.b', 'c'], 'css', { concerned: new Set(['c']) })).toEqual([]);
    expect(nameProblems(['a-b', 'a.b', 'c'], 'css', { concerned: new Set(['a.b']) })).toHaveLength(1);
  });

  it('refuses a path with nothing to name it by', () => {
    expect(load({ icons: { '🎨': dim(1) } }).problems).toEqual([
      expect.objectContaining({ path: 'icons.🎨', code: 'illegal_name', platform: 'css' }),
    ]);
  });
});

describe('reserved words', () => {
  const reserved = { new: dim(1), class: dim(2), default: dim(3), tokens: dim(4), self: dim(5) };

  it('JS and TS escape them and compile', async () => {
    const { tokens, problems } = load(reserved);
    expect(problems).toEqual([]);
    const js = (await exportTokens(tokens, 'js')).content;
    expect(js).toContain('export const _new = "1px";');
    expect(js).toContain('export const _class = "2px";');
    expect(js).toContain('export const _default = "3px";');
    await expect(transform(js, { loader: 'js', format: 'esm' })).resolves.toBeDefined();
    const ts = (await exportTokens(tokens, 'ts')).content;
    expect(ts).toContain('export const _tokens: string = "4px";');
    await expect(transform(ts, { loader: 'ts', format: 'esm' })).resolves.toBeDefined();
  });

  it('Swift and Android escape theirs', async () => {
    const { tokens } = load(reserved);
    const swift = (await exportTokens(tokens, 'ios-swift')).content;
    expect(swift).toMatch(/static let _default = CGFloat\(3\)/);
    expect(swift).toMatch(/static let _self = CGFloat\(5\)/);
    expect(swift).not.toMatch(/let (class|default|self) /);
    const android = (await exportTokens(tokens, 'android-xml')).content;
    expect(android).toContain('<dimen name="_new">1dp</dimen>');
    expect(android).toContain('<dimen name="_class">2dp</dimen>');
  });

  it('an escaped name that meets a real one is a collision, not a silent duplicate', async () => {
    const { tokens } = load({ new: dim(1), _new: dim(2) });
    expect((await exportError(tokens, 'js')).problems[0]).toMatchObject({ paths: ['new', '_new'], name: '_new' });
  });
});

describe('Unicode names', () => {
  const data = {
    brand: {
      colour: {
        Primär: { $type: 'color', $value: '#0969da' },
        Straße: { $type: 'color', $value: '#000' },
        主要: { $type: 'color', $value: '#fff' },
      },
    },
  };

  it('CSS keeps them', async () => {
    const { tokens, problems } = load(data);
    expect(problems).toEqual([]);
    const css = (await exportTokens(tokens, 'css')).content;
    expect(css).toContain('--brand-colour-Primär: #0969da;');
    expect(css).toContain('--brand-colour-主要: #ffffff;');
  });

  it('JS and Swift keep Unicode letters (valid identifiers); Android transliterates deterministically', async () => {
    const { tokens } = load(data);
    const js = (await exportTokens(tokens, 'js')).content;
    expect(js).toContain('export const brandColourPrimär = "#0969da";');
    await expect(transform(js, { loader: 'js', format: 'esm' })).resolves.toBeDefined();
    expect((await exportTokens(tokens, 'ios-swift')).content).toContain('brandColourPrimär');
    const android = (await exportTokens(tokens, 'android-xml')).content;
    expect(android).toContain('name="brand_colour_primar"');
    expect(android).toContain('name="brand_colour_strasse"');
    expect(android).toContain('name="brand_colour_u4e3bu8981"');
  });
});
