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

/** The light sources, then Primer's dark base colours as the `dark` mode. */
export function primerTokens(): TokenMap {
  const files = SOURCES.flatMap((dir) => readTree(`${PRIMER}/src/tokens/${dir}`, '.json5')).filter(
    (f) => !f.path.includes('high-contrast'),
  );
  const dark = readFiles([
    `${PRIMER}/src/tokens/base/color/dark/dark.json5`,
    `${PRIMER}/src/tokens/base/color/dark/display-dark.json5`,
  ]).map((f) => ({ ...f, mode: 'dark' }));
  const { tokens, problems } = importTokenFiles([...files, ...dark]);
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
