import { describe, expect, it } from '@jest/globals';
import { exportTokens } from '../../../../src/services/tokens/export/index.ts';
import { importTokenFiles } from '../../../../src/services/tokens/import/index.ts';
import { SET_EXTENSION, type TokenMap } from '../../../../src/services/tokens/token.types.ts';

const px = (value: number) => ({ value, unit: 'px' });
const dtcg = {
  color: {
    brand: {
      $type: 'color',
      $value: { colorSpace: 'srgb', components: [1, 0, 0], alpha: 0.5 },
      $description: 'Brand red at half opacity',
    },
    ink: { $type: 'color', $value: { colorSpace: 'hsl', components: [0, 0, 0], hex: '#000000' } },
    p3: { $type: 'color', $value: { colorSpace: 'display-p3', components: [1, 0.5, 0] } },
    text: { $type: 'color', $value: '{color.ink}' },
    legacy: { $type: 'color', $value: '#fff' },
  },
  space: {
    zero: { $type: 'dimension', $value: px(0) },
    md: { $type: 'dimension', $value: px(16) },
    lg: { $type: 'dimension', $value: { value: 1.5, unit: 'rem' } },
    old: { $type: 'dimension', $value: '24px' },
    gap: { $type: 'dimension', $value: '{space.md}' },
  },
  motion: {
    fast: { $type: 'duration', $value: { value: 200, unit: 'ms' } },
    slow: { $type: 'duration', $value: '1s' },
    ease: { $type: 'cubicBezier', $value: [0.4, 0, 0.2, 1] },
    fade: {
      $type: 'transition',
      $value: { duration: '{motion.fast}', timingFunction: '{motion.ease}', delay: { value: 0, unit: 'ms' } },
    },
  },
  font: {
    family: { $type: 'fontFamily', $value: ['Mona Sans', 'sans-serif'] },
    body: {
      $type: 'typography',
      $value: { fontFamily: '{font.family}', fontSize: px(16), fontWeight: 600, lineHeight: 1.5, letterSpacing: px(0) },
    },
  },
  shadow: {
    card: {
      $type: 'shadow',
      $value: [
        { color: '{color.brand}', offsetX: px(0), offsetY: px(1), blur: px(2), spread: px(0) },
        { color: '#00000033', offsetX: px(0), offsetY: px(0), blur: px(0), spread: px(1), inset: true },
      ],
    },
  },
  border: { focus: { $type: 'border', $value: { color: '{color.ink}', width: px(2), style: 'solid' } } },
  z: { top: { $type: 'number', $value: 0 } },
};
const importDtcg = () => importTokenFiles([{ path: 'tokens.json', content: JSON.stringify(dtcg) }]);

const declarations = (css: string) =>
  Object.fromEntries([...css.matchAll(/(--[\w-]+): ([^;]+);/g)].map((m) => [m[1], m[2]]));

describe('DTCG round trip', () => {
  it('exports exactly what was imported (2025.10 objects, strings, aliases)', async () => {
    const { tokens, problems } = importDtcg();
    expect(problems).toEqual([]);
    const out = await exportTokens(tokens, 'dtcg');
    expect(out.contentType).toBe('application/json');
    expect(JSON.parse(out.content)).toEqual(dtcg);
  });

  it('gives every token its effective type, and writes group declarations back where they were', async () => {
    const grouped = {
      $description: 'root',
      size: {
        $type: 'dimension',
        $description: 'sizes',
        s: { $value: px(4) },
        m: { $value: '{size.s}' },
        own: { $type: 'number', $value: 2 },
      },
    };
    const first = importTokenFiles([{ path: 'g.json', content: JSON.stringify(grouped) }]);
    expect(first.tokens.get('size.m')).toMatchObject({ $type: 'dimension', $value: '{size.s}' });
    expect(first.tokens.get('size.own')).toEqual({ $type: 'number', $value: 2 });
    const out = JSON.parse((await exportTokens(first.tokens, 'dtcg', { groups: first.groups })).content);
    expect(out).toEqual(grouped);
    const again = importTokenFiles([{ path: 'g.json', content: JSON.stringify(out) }]);
    expect(again.tokens).toEqual(first.tokens);
  });
});

describe('exportTokens', () => {
  it('writes CSS a designer expects', async () => {
    const { tokens } = importDtcg();
    const out = await exportTokens(tokens, 'css');
    expect(out).toMatchObject({ contentType: 'text/css', filename: 'tokens.css' });
    expect(out.content.startsWith(':root {')).toBe(true);
    expect(declarations(out.content)).toEqual({
      '--color-brand': '#ff000080',
      '--color-ink': '#000000',
      '--color-p3': 'color(display-p3 1 0.5 0)',
      '--color-text': '#000000',
      '--color-legacy': '#ffffff', // hex is normalised to 6 (or 8) digits
      '--space-zero': '0',
      '--space-md': '16px',
      '--space-lg': '1.5rem',
      '--space-old': '24px',
      '--space-gap': '16px',
      '--motion-fast': '200ms',
      '--motion-slow': '1s',
      '--motion-ease': 'cubic-bezier(0.4, 0, 0.2, 1)',
      '--motion-fade': '200ms cubic-bezier(0.4, 0, 0.2, 1)',
      '--font-family': '"Mona Sans", sans-serif',
      '--font-body': '600 16px / 1.5 "Mona Sans", sans-serif',
      '--shadow-card': '0 1px 2px 0 #ff000080, inset 0 0 0 1px #00000033',
      '--border-focus': '2px solid #000000',
      '--z-top': '0',
    });
    expect(out.content).toContain('/** Brand red at half opacity */');
  });

  it('writes references, prefixes, rem and a selector on request', async () => {
    const { tokens } = importDtcg();
    const out = await exportTokens(tokens, 'css', {
      outputReferences: true,
      prefix: 'ds',
      remBase: 16,
      selector: '[data-theme="light"]',
    });
    const vars = declarations(out.content);
    expect(out.content.startsWith('[data-theme="light"] {')).toBe(true);
    expect(vars['--ds-color-text']).toBe('var(--ds-color-ink)');
    expect(vars['--ds-space-gap']).toBe('var(--ds-space-md)');
    expect(vars['--ds-space-md']).toBe('1rem');
    expect(vars['--ds-space-old']).toBe('1.5rem');
    expect(vars['--ds-space-lg']).toBe('1.5rem'); // rem stays rem
    expect(vars['--ds-space-zero']).toBe('0');
    expect(vars['--ds-motion-fade']).toBe('var(--ds-motion-fast) var(--ds-motion-ease)');
    expect(vars['--ds-font-body']).toBe('600 1rem / 1.5 var(--ds-font-family)');
    expect(vars['--ds-border-focus']).toBe('2px solid var(--ds-color-ink)');
  });

  it('orders SCSS so that referenced variables come first, and writes Less', async () => {
    const late: TokenMap = new Map([
      ['a.alias', { $value: '{z.base}', $type: 'dimension' }],
      ['z.base', { $value: { value: 8, unit: 'px' }, $type: 'dimension' }],
    ]);
    const scss = await exportTokens(late, 'scss', { outputReferences: true });
    expect(scss.contentType).toBe('text/x-scss');
    expect(scss.content.trim().split('\n')).toEqual(['$z-base: 8px;', '$a-alias: $z-base;']);
    const less = await exportTokens(late, 'less', { outputReferences: true });
    expect(less.contentType).toBe('text/x-less');
    expect(less.content).toContain('@a-alias: @z-base;');
  });

  it('writes JS, TS and flat JSON with resolved values', async () => {
    const { tokens } = importDtcg();
    const js = await exportTokens(tokens, 'js');
    expect(js.contentType).toBe('text/javascript');
    expect(js.content).toContain('export const colorText = "#000000";');
    expect(js.content).toContain('export const zTop = 0;');
    const ts = await exportTokens(tokens, 'ts');
    expect(ts.contentType).toBe('application/typescript');
    expect(ts.content).toContain('export const motionFast: string = "200ms";');
    expect(ts.content).toContain('export const zTop: number = 0;');
    const json = JSON.parse((await exportTokens(tokens, 'json')).content);
    expect(json).toMatchObject({ 'color-brand': '#ff000080', 'space-zero': '0', 'motion-fast': '200ms', 'z-top': 0 });
  });

  it('writes Swift and Android resources', async () => {
    const { tokens } = importDtcg();
    const swift = await exportTokens(tokens, 'ios-swift');
    expect(swift).toMatchObject({ contentType: 'text/x-swift', filename: 'DesignTokens.swift' });
    expect(swift.content).toContain('public class DesignTokens {');
    expect(swift.content).toContain('public static let colorBrand = UIColor(red: 1, green: 0, blue: 0, alpha: 0.5)');
    expect(swift.content).toContain('public static let spaceLg = CGFloat(24)');
    expect(swift.content).toContain('public static let motionFast = TimeInterval(0.2)');
    const xml = await exportTokens(tokens, 'android-xml');
    expect(xml.contentType).toBe('application/xml');
    expect(xml.content).toContain('<color name="color_brand">#80ff0000</color>');
    expect(xml.content).toContain('<dimen name="space_md">16dp</dimen>');
    expect(xml.content).toContain('<integer name="motion_fast">200</integer>');
  });

  it('filters by set and by theme', async () => {
    const tokens: TokenMap = new Map([
      ['color.bg', { $value: '#ffffff', $type: 'color', $extensions: { [SET_EXTENSION]: 'light' } }],
      ['color.fg', { $value: '#000000', $type: 'color', $extensions: { [SET_EXTENSION]: 'dark' } }],
      ['space.s', { $value: '4px', $type: 'dimension', $extensions: { [SET_EXTENSION]: 'core' } }],
    ]);
    const light = declarations((await exportTokens(tokens, 'css', { sets: ['light', 'core'] })).content);
    expect(Object.keys(light)).toEqual(['--color-bg', '--space-s']);
    const themes = [
      {
        name: 'Dark',
        selectedTokenSets: { dark: 'enabled' as const, core: 'source' as const, light: 'disabled' as const },
      },
    ];
    const dark = declarations((await exportTokens(tokens, 'css', { themes, theme: 'Dark' })).content);
    expect(Object.keys(dark)).toEqual(['--color-fg']);
  });
});
