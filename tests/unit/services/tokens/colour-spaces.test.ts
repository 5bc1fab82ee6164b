// Issue 17 item 5: DTCG 2025.10 colours in their own space per platform. CSS (and the formats that
// write CSS text) keep the space; iOS writes display-p3 as a P3 UIColor and other spaces as sRGB; Android
// is sRGB. Where sRGB is needed, the token's `hex` fallback wins, else colorjs.io's CSS gamut mapping.
// Expected values are computed with colorjs.io itself.
import { describe, expect, it } from '@jest/globals';
import Color from 'colorjs.io';
import { exportTokens } from '../../../../src/services/tokens/export/index.ts';
import { importTokenFiles } from '../../../../src/services/tokens/import/index.ts';
import type { ExportFormat } from '../../../../src/services/tokens/token.types.ts';

const source = {
  c: {
    $type: 'color',
    p3: { $value: { colorSpace: 'display-p3', components: [1, 0.5, 0], alpha: 0.8 } },
    p3hex: { $value: { colorSpace: 'display-p3', components: [0.2, 0.8, 0.3], hex: '#11cc44' } },
    oklch: { $value: { colorSpace: 'oklch', components: [0.7, 0.3, 30] } },
    oklchhex: { $value: { colorSpace: 'oklch', components: [0.7, 0.3, 30], hex: '#ff5544' } },
    lab: { $value: { colorSpace: 'lab', components: [50, 40, -20], alpha: 0.5 } },
    rec: { $value: { colorSpace: 'rec2020', components: [0.1, 0.9, 0.2] } },
    p3text: { $value: 'color(display-p3 0 0.6 1)' },
    oklchtext: { $value: 'oklch(0.6 0.25 280 / 0.5)' },
    alias: { $value: '{c.p3hex}', alpha: 0.4 },
  },
};
const tokens = () => {
  const result = importTokenFiles([{ path: 'colours.json', content: JSON.stringify(source) }]);
  expect(result.problems).toEqual([]);
  return result.tokens;
};
const out = async (format: ExportFormat) => (await exportTokens(tokens(), format)).content;

/** colorjs.io's own sRGB for a colour: CSS Color 4 gamut mapping into sRGB. */
const srgb = (space: string, coords: [number, number, number]) =>
  new Color(space, coords).to('srgb').toGamut({ space: 'srgb', method: 'css' });
const fixed = (n: number) => Number(n.toFixed(3)).toString();
const uiColor = (c: Color, alpha = 1) => {
  const [r, g, b] = c.coords.map(Number) as [number, number, number];
  return `UIColor(red: ${fixed(r)}, green: ${fixed(g)}, blue: ${fixed(b)}, alpha: ${fixed(alpha)})`;
};
const argb = (c: Color, alpha = 1) => {
  const hex = c.toString({ format: 'hex', collapse: false }).slice(1, 7);
  return `#${Math.round(alpha * 255)
    .toString(16)
    .padStart(2, '0')}${hex}`;
};

describe('colour spaces per platform', () => {
  it('CSS writes each colour in its own space, the hex fallback unused', async () => {
    const css = await out('css');
    expect(css).toContain('--c-p3: color(display-p3 1 0.5 0 / 0.8);');
    expect(css).toContain('--c-p3hex: color(display-p3 0.2 0.8 0.3);');
    expect(css).toContain('--c-oklch: oklch(0.7 0.3 30);');
    expect(css).toContain('--c-oklchhex: oklch(0.7 0.3 30);');
    expect(css).toContain('--c-lab: lab(50 40 -20 / 0.5);');
    expect(css).toContain('--c-rec: color(rec2020 0.1 0.9 0.2);');
    expect(css).toContain('--c-p3text: color(display-p3 0 0.6 1);');
    expect(css).toContain('--c-oklchtext: oklch(0.6 0.25 280 / 0.5);');
    expect(css).toContain('--c-alias: color(display-p3 0.2 0.8 0.3 / 0.4);');
  });

  it('SCSS, Less, JS, TS and flat JSON write the same CSS colour text', async () => {
    expect(await out('scss')).toContain('$c-alias: color(display-p3 0.2 0.8 0.3 / 0.4);');
    expect(await out('less')).toContain('@c-oklch: oklch(0.7 0.3 30);');
    expect(await out('js')).toContain('export const cP3 = "color(display-p3 1 0.5 0 / 0.8)";');
    expect(await out('ts')).toContain('export const cOklchtext: string = "oklch(0.6 0.25 280 / 0.5)";');
    expect(JSON.parse(await out('json'))).toMatchObject({ 'c-lab': 'lab(50 40 -20 / 0.5)' });
  });

  it('iOS: display-p3 as a P3 UIColor, other spaces in sRGB (the hex fallback first)', async () => {
    const swift = await out('ios-swift');
    expect(swift).toContain('cP3 = UIColor(displayP3Red: 1, green: 0.5, blue: 0, alpha: 0.8)');
    expect(swift).toContain('cP3hex = UIColor(displayP3Red: 0.2, green: 0.8, blue: 0.3, alpha: 1)');
    expect(swift).toContain('cP3text = UIColor(displayP3Red: 0, green: 0.6, blue: 1, alpha: 1)');
    expect(swift).toContain('cAlias = UIColor(displayP3Red: 0.2, green: 0.8, blue: 0.3, alpha: 0.4)');
    expect(swift).toContain(`cOklch = ${uiColor(srgb('oklch', [0.7, 0.3, 30]))}`);
    expect(swift).toContain(`cOklchhex = ${uiColor(new Color('#ff5544'))}`);
    expect(swift).toContain(`cLab = ${uiColor(srgb('lab', [50, 40, -20]), 0.5)}`);
    expect(swift).toContain(`cRec = ${uiColor(srgb('rec2020', [0.1, 0.9, 0.2]))}`);
    expect(swift).toContain(`cOklchtext = ${uiColor(srgb('oklch', [0.6, 0.25, 280]), 0.5)}`);
    expect(swift).not.toMatch(/= "/); // no colour is left a string
  });

  it('Android: sRGB ARGB from the hex fallback, else gamut-mapped', async () => {
    const xml = await out('android-xml');
    const color = (name: string) => new RegExp(`<color name="${name}">([^<]+)</color>`).exec(xml)?.[1];
    expect(color('c_p3')).toBe(argb(srgb('p3', [1, 0.5, 0]), 0.8));
    expect(color('c_p3hex')).toBe('#ff11cc44');
    expect(color('c_alias')).toBe('#6611cc44');
    expect(color('c_oklch')).toBe(argb(srgb('oklch', [0.7, 0.3, 30])));
    expect(color('c_oklchhex')).toBe('#ffff5544');
    expect(color('c_lab')).toBe(argb(srgb('lab', [50, 40, -20]), 0.5));
    expect(color('c_rec')).toBe(argb(srgb('rec2020', [0.1, 0.9, 0.2])));
    expect(color('c_p3text')).toBe(argb(srgb('p3', [0, 0.6, 1])));
    expect(color('c_oklchtext')).toBe(argb(srgb('oklch', [0.6, 0.25, 280]), 0.5));
  });
});
