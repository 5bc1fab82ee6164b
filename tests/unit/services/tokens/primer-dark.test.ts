// Primer's dark theme against Primer's own dist/css/functional/themes/dark.css (issue 17 item 2).
// Primer builds that theme from the dark base colours (base/color/dark) and each functional token's
// `org.primer.overrides.dark`; here the light sources are the default, the dark base files are imported
// as mode `dark`, and the overrides become the tokens' dark values: `mode=dark` must write the theme.
import { describe, expect, it } from '@jest/globals';
import { exportTokens } from '../../../../src/services/tokens/export/index.ts';
import { cssVariables } from './helpers.ts';
import { compareTheme, PRIMER_FALLBACKS, primerTheme, primerTokens } from './primer-themes.ts';

describe("Primer's dark theme", () => {
  it.each([false, true])(
    'matches dist/css dark.css variable by variable with mode=dark (outputReferences %s)',
    async (outputReferences) => {
      const tokens = primerTokens();
      const { content } = await exportTokens(tokens, 'css', { remBase: 16, outputReferences, mode: 'dark' });
      const result = compareTheme(content, primerTheme('dark'));
      console.log(`Primer dark theme (outputReferences ${outputReferences}): ${result.matched} / ${result.total}`);
      expect(result.total).toBe(959);
      expect(result.mismatches).toEqual([]);
    },
    60_000,
  );

  it('writes the theme as a [data-color-mode="dark"] block over :root in a multi-mode CSS', async () => {
    const { content } = await exportTokens(primerTokens(), 'css', { remBase: 16, modes: ['light', 'dark'] });
    const blocks = content.split(/\n(?=\[data-color-mode|@media)/);
    const block = (selector: string) => blocks.find((b) => b.startsWith(selector)) ?? '';
    const root = blocks[0]!;
    const dark = block('[data-color-mode="dark"]');
    // The block holds only what differs, and root plus the block is Primer's dark theme.
    expect(cssVariables(dark).size).toBeLessThan(cssVariables(root).size);
    const merged = [...cssVariables(root)].map(
      ([name, values]) => `${name}: ${(cssVariables(dark).get(name) ?? values)[0]};`,
    );
    const result = compareTheme(merged.join('\n'), primerTheme('dark'));
    expect(result.mismatches).toEqual([]);
    expect(block('@media (prefers-color-scheme: dark)')).toContain('[data-color-mode="auto"]');
  }, 60_000);

  it('keeps the light theme for mode=light, from the same import', async () => {
    const { content } = await exportTokens(primerTokens(), 'css', { remBase: 16, mode: 'light' });
    const result = compareTheme(content, primerTheme('light'));
    expect(result.total).toBe(959);
    expect(result.mismatches).toEqual([]);
  }, 60_000);

  it.each(['dark-dimmed', 'dark-high-contrast', 'light-high-contrast'])(
    'matches dist/css %s.css with that mode falling back to its base theme',
    async (theme) => {
      const { content } = await exportTokens(primerTokens(), 'css', {
        remBase: 16,
        mode: theme,
        modeFallbacks: PRIMER_FALLBACKS,
      });
      const result = compareTheme(content, primerTheme(theme));
      console.log(`Primer ${theme} theme: ${result.matched} / ${result.total}`);
      expect(result.total).toBe(959);
      expect(result.mismatches).toEqual([]);
    },
    60_000,
  );
});
