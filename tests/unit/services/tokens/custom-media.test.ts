// Issue 17 item 6: Primer's viewport ranges (`$type: custom-viewportRange`) are media queries, written as
// `@custom-media` rules the way Primer's build writes them, not as custom properties.
import fs from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import { exportTokens } from '../../../../src/services/tokens/export/index.ts';
import { importTokenFiles } from '../../../../src/services/tokens/import/index.ts';
import type { ExportFormat } from '../../../../src/services/tokens/token.types.ts';
import { PRIMER, readFiles } from './helpers.ts';

const primer = () => {
  const result = importTokenFiles(
    readFiles([
      `${PRIMER}/src/tokens/functional/size/breakpoints.json5`,
      `${PRIMER}/src/tokens/functional/size/viewport.json5`,
    ]),
  );
  expect(result.problems).toEqual([]);
  return result.tokens;
};
const out = async (format: ExportFormat, options: Parameters<typeof exportTokens>[2] = {}) =>
  (await exportTokens(primer(), format, { remBase: 16, ...options })).content;
const rules = (css: string) => css.split('\n').filter((line) => line.startsWith('@custom-media '));

describe('@custom-media for viewport ranges', () => {
  const dist = fs.readFileSync(`${PRIMER}/dist/css/functional/size/viewport.css`, 'utf8');

  it.each([false, true])(
    "CSS writes Primer's dist/css viewport.css rules exactly (outputReferences %s)",
    async (refs) => {
      const css = await out('css', { outputReferences: refs });
      const expected = rules(dist);
      expect(expected).toHaveLength(6);
      expect(rules(css).sort()).toEqual(expected.sort());
      // Not as custom properties; the breakpoints they use still are.
      expect(css).not.toMatch(/--viewportRange-[\w-]+\s*:/);
      expect(css).toContain('--breakpoint-medium: 48rem;');
      // The rules are top-level, before the selector's block.
      expect(css.indexOf('@custom-media')).toBeLessThan(css.indexOf(':root {'));
    },
  );

  it('multi-mode CSS writes the rules once, at the top', async () => {
    const css = await out('css', { modes: [] });
    expect(rules(css).sort()).toEqual(rules(dist).sort());
  });

  it('SCSS and Less write a string for `@media #{$x}` / `@media @x`; JS and JSON the query text', async () => {
    expect(await out('scss')).toContain('$viewportRange-regular: "(min-width: 48rem)";');
    expect(await out('less')).toContain('@viewportRange-regular: ~"(min-width: 48rem)";');
    expect(await out('js')).toContain('export const viewportRangeRegular = "(min-width: 48rem)";');
    expect(JSON.parse(await out('json'))).toMatchObject({ 'viewportRange-portrait': '(orientation: portrait)' });
  });
});
