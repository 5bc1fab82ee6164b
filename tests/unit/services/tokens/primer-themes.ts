// Primer's sources imported as a user would, and Primer's built theme files, for the theme tests.
// The light sources are the default; the dark base colours (base/color/dark) are imported as mode
// `dark`; each functional token's `org.primer.overrides` become its modes.
import { expect } from '@jest/globals';
import { importTokenFiles } from '../../../../src/services/tokens/import/index.ts';
import type { TokenMap } from '../../../../src/services/tokens/token.types.ts';
import { cssVariables, PRIMER, readFiles, readTree, resolveVars } from './helpers.ts';

const SOURCES = [
  'base/color/light',
  'functional/color',
  'component',
  'functional/shadow',
  'functional/border',
  'base/size',
  'functional/size',
  'base/motion',
  'functional/motion',
  'base/typography',
  'functional/typography',
  'functional/spacing',
];

/**
 * Primer's themes built from more than the light sources: the base colour files each adds, as its
 * mode, and the mode it falls back to (Primer's build: `[theme, fallback]` overrides, the base files
 * of both).
 */
export const PRIMER_MODES: Record<string, { base: string[]; fallback?: string }> = {
  dark: { base: ['dark/dark.json5', 'dark/display-dark.json5'] },
  'dark-dimmed': { base: ['dark/dark.dimmed.json5'], fallback: 'dark' },
  'dark-high-contrast': { base: ['dark/dark.high-contrast.json5'], fallback: 'dark' },
  'light-high-contrast': { base: ['light/light.high-contrast.json5'], fallback: 'light' },
};

/** Mode → fallback, as PRIMER_MODES gives them. */
export const PRIMER_FALLBACKS = Object.fromEntries(
  Object.entries(PRIMER_MODES).flatMap(([mode, { fallback }]) => (fallback ? [[mode, fallback]] : [])),
);

/** The light sources, then each PRIMER_MODES theme's base colours as its mode. */
export function primerTokens(): TokenMap {
  const files = SOURCES.flatMap((dir) => readTree(`${PRIMER}/src/tokens/${dir}`, '.json5')).filter(
    (f) => !f.path.includes('high-contrast'),
  );
  const modes = Object.entries(PRIMER_MODES).flatMap(([mode, { base }]) =>
    readFiles(base.map((b) => `${PRIMER}/src/tokens/base/color/${b}`)).map((f) => ({ ...f, mode })),
  );
  const { tokens, problems } = importTokenFiles([...files, ...modes]);
  expect(problems).toEqual([]);
  return tokens;
}

/** A theme file of Primer's, its `var()`s resolved through its own size and border variables. */
export function primerTheme(theme: string): Map<string, string[]> {
  const vars = cssVariables(readFiles([`${PRIMER}/dist/css/functional/themes/${theme}.css`])[0]!.content);
  const sizes = cssVariables(
    ['base/size', 'functional/size']
      .flatMap((d) => readTree(`${PRIMER}/dist/css/${d}`, '.css'))
      .map((f) => f.content)
      .join('\n'),
  );
  const all = new Map([...sizes, ...vars]);
  return new Map([...vars].map(([name, values]) => [name, values.map((v) => resolveVars(v, all))]));
}

/** Variables of `css` that equal the theme's. */
export function compareTheme(css: string, theirs: Map<string, string[]>) {
  const ours = cssVariables(css);
  const mismatches: string[] = [];
  let matched = 0;
  for (const [name, expected] of theirs) {
    const mine = (ours.get(name) ?? []).map((v) => resolveVars(v, ours));
    if (mine.some((v) => expected.includes(v))) matched++;
    else mismatches.push(`${name}: ours ${mine.join(' | ') || '(none)'}, Primer ${expected.join(' | ')}`);
  }
  return { total: theirs.size, matched, mismatches };
}
