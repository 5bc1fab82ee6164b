// Modes as a first-class concept (issue 17 item 2): Tokens Studio themes whose sets define the same
// tokens, DTCG files per mode, aliases resolving within a mode, unknown modes, multi-mode CSS.
import { describe, expect, it } from '@jest/globals';
import { exportTokens } from '../../../../src/services/tokens/export/index.ts';
import { importTokenFiles } from '../../../../src/services/tokens/import/index.ts';
import { AppError } from '../../../../src/utils/errors.ts';
import { cssVariables } from './helpers.ts';

/** Tokens Studio, one file: core colours (source), Light and Dark sets defining bg/fg, shared components. */
const studio = {
  core: {
    colors: {
      white: { value: '#ffffff', type: 'color' },
      black: { value: '#000000', type: 'color' },
      blue: { value: '#0969da', type: 'color' },
    },
  },
  light: { bg: { value: '{colors.white}', type: 'color' }, fg: { value: '{colors.black}', type: 'color' } },
  dark: { bg: { value: '{colors.black}', type: 'color' }, fg: { value: '{colors.white}', type: 'color' } },
  components: { card: { bg: { value: '{bg}', type: 'color' }, link: { value: '{colors.blue}', type: 'color' } } },
  $themes: [
    { id: 'l', name: 'Light', selectedTokenSets: { core: 'source', light: 'enabled', components: 'enabled' } },
    { id: 'd', name: 'Dark', selectedTokenSets: { core: 'source', dark: 'enabled', components: 'enabled' } },
  ],
  $metadata: { tokenSetOrder: ['core', 'light', 'dark', 'components'] },
};
const studioFile = [{ path: 'tokens.json', content: JSON.stringify(studio) }];

const css = async (tokens: Parameters<typeof exportTokens>[0], options: Parameters<typeof exportTokens>[2]) =>
  Object.fromEntries(
    [...cssVariables((await exportTokens(tokens, 'css', options)).content)].map(([k, v]) => [k, v[0]]),
  );

describe('Tokens Studio $themes as modes', () => {
  it('imports every set without overwriting one theme with another, each theme a mode', async () => {
    const { tokens, problems, themes } = importTokenFiles(studioFile);
    expect(problems).toEqual([]);
    expect(themes.map((t) => t.name)).toEqual(['Light', 'Dark']);
    // Light is the first theme: its values are the defaults, Dark's are the tokens' Dark values.
    expect(tokens.get('bg')).toMatchObject({ $value: '{colors.white}', modes: { Dark: { $value: '{colors.black}' } } });

    expect(await css(tokens, { mode: 'Light', themes })).toEqual({
      '--bg': '#ffffff',
      '--fg': '#000000',
      '--card-bg': '#ffffff',
      '--card-link': '#0969da',
    });
    expect(await css(tokens, { mode: 'Dark', themes })).toEqual({
      '--bg': '#000000',
      '--fg': '#ffffff',
      '--card-bg': '#000000',
      '--card-link': '#0969da',
    });
    // theme= is the older name of mode=.
    expect(await css(tokens, { theme: 'Dark', themes })).toEqual(await css(tokens, { mode: 'Dark', themes }));
  });

  it('still asks for a choice when sets disagree and no theme says which is which', () => {
    const { $themes: _themes, ...sets } = studio;
    const { problems } = importTokenFiles([{ path: 'tokens.json', content: JSON.stringify(sets) }]);
    expect(problems.map((p) => [p.path, p.code])).toEqual([
      ['bg', 'set_required'],
      ['fg', 'set_required'],
    ]);
  });
});

const base = {
  color: {
    white: { $value: '#ffffff', $type: 'color' },
    black: { $value: '#000000', $type: 'color' },
    bg: { $value: '{color.white}', $type: 'color' },
    text: { $value: '{color.bg}', $type: 'color' },
  },
  space: { sm: { $value: { value: 4, unit: 'px' }, $type: 'dimension' } },
};
const dark = { color: { bg: { $value: '{color.black}', $type: 'color' } } };
const dtcgFiles = [
  { path: 'tokens.json', content: JSON.stringify(base) },
  { path: 'dark.json', content: JSON.stringify(dark), mode: 'dark' },
];

describe('DTCG files per mode', () => {
  it('keeps a mode file’s values as that mode’s, and aliases resolve within the mode in every format', async () => {
    const { tokens, problems } = importTokenFiles(dtcgFiles);
    expect(problems).toEqual([]);
    expect(tokens.get('color.bg')).toEqual({
      $value: '{color.white}',
      $type: 'color',
      modes: { dark: '{color.black}' },
    });
    expect(tokens.get('color.text')?.modes).toBeUndefined();

    expect(await css(tokens, {})).toMatchObject({ '--color-bg': '#ffffff', '--color-text': '#ffffff' });
    expect(await css(tokens, { mode: 'dark' })).toMatchObject({ '--color-bg': '#000000', '--color-text': '#000000' });
    const out = async (format: Parameters<typeof exportTokens>[1]) =>
      (await exportTokens(tokens, format, { mode: 'dark' })).content;
    expect(await out('scss')).toContain('$color-text: #000000;');
    expect(await out('js')).toContain('export const colorText = "#000000";');
    expect(await out('ts')).toContain('export const colorText: string = "#000000";');
    expect(await out('json')).toContain('"color-text": "#000000"');
    expect(await out('android-xml')).toContain('<color name="color_text">#ff000000</color>');
    expect(await out('ios-swift')).toContain('colorText = UIColor(red: 0, green: 0, blue: 0, alpha: 1)');
    // DTCG of one mode is a plain DTCG file of that mode's values; without a mode, modes go where Primer keeps them.
    expect(JSON.parse(await out('dtcg')).color.bg).toEqual({ $value: '{color.black}', $type: 'color' });
    expect(JSON.parse((await exportTokens(tokens, 'dtcg')).content).color.bg).toEqual({
      $value: '{color.white}',
      $type: 'color',
      $extensions: { 'org.primer.overrides': { dark: '{color.black}' } },
    });
  });

  it('writes references to the mode’s values with outputReferences', async () => {
    const { tokens } = importTokenFiles(dtcgFiles);
    expect(await css(tokens, { mode: 'dark', outputReferences: true })).toMatchObject({
      '--color-bg': 'var(--color-black)',
      '--color-text': 'var(--color-bg)',
    });
  });

  it('refuses a mode file token the default files do not define, and a mode alias that breaks', () => {
    const extra = { color: { accent: { $value: '#ff0000', $type: 'color' }, bg: { $value: '{color.nope}' } } };
    const { problems } = importTokenFiles([
      dtcgFiles[0]!,
      { path: 'dark.json', content: JSON.stringify(extra), mode: 'dark' },
    ]);
    expect(problems.map((p) => [p.path, p.code, p.file])).toEqual([
      ['color.bg', 'broken_alias', 'dark.json'],
      ['color.accent', 'missing_value', 'dark.json'],
    ]);
  });

  it('keeps stored mode values when the default files are imported again', () => {
    const first = importTokenFiles(dtcgFiles);
    const again = importTokenFiles([dtcgFiles[0]!], { existing: first.tokens });
    expect(again.problems).toEqual([]);
    expect(again.tokens.get('color.bg')?.modes).toEqual({ dark: '{color.black}' });
  });

  it('answers an unknown mode with the list of known ones', async () => {
    const { tokens } = importTokenFiles(dtcgFiles);
    const error = await exportTokens(tokens, 'css', { mode: 'sepia' }).catch((err: unknown) => err);
    expect(error).toBeInstanceOf(AppError);
    expect(error).toMatchObject({ code: 'unknown_mode', details: { mode: 'sepia', modes: ['dark'] } });
  });
});

describe('multi-mode CSS', () => {
  it('writes :root with the defaults and one block per mode with only what differs', async () => {
    const { tokens } = importTokenFiles(dtcgFiles);
    const { content } = await exportTokens(tokens, 'css', { modes: 'all' });
    expect(content).toBe(
      [
        ':root {',
        '  --color-white: #ffffff;',
        '  --color-black: #000000;',
        '  --color-bg: #ffffff;',
        '  --color-text: #ffffff;',
        '  --space-sm: 4px;',
        '}',
        '',
        '[data-color-mode="dark"] {',
        '  --color-bg: #000000;',
        '  --color-text: #000000;',
        '}',
        '',
        '@media (prefers-color-scheme: dark) {',
        '  [data-color-mode="auto"] {',
        '    --color-bg: #000000;',
        '    --color-text: #000000;',
        '  }',
        '}',
        '',
      ].join('\n'),
    );
  });

  it('declares again, with references, every variable whose value changes in the mode', async () => {
    const { tokens } = importTokenFiles(dtcgFiles);
    const { content } = await exportTokens(tokens, 'css', { modes: ['dark'], outputReferences: true });
    // --color-text is var(--color-bg) in both, but a custom property is computed where it is declared.
    expect(content).toContain(
      '[data-color-mode="dark"] {\n  --color-bg: var(--color-black);\n  --color-text: var(--color-bg);\n}',
    );
  });
});
