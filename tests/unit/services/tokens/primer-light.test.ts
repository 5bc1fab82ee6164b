// Primer's light theme colours against Primer's own dist/css/functional/themes/light.css (issue 17
// item 1: alpha lost through aliases made 62 of 959 variables wrong). Primer's build swaps in each
// token's `org.primer.overrides.light` for this theme; those are the tokens' `light` mode values
// (issue 17 item 2), so `mode=light` writes the theme.
import { describe, expect, it } from '@jest/globals';
import { exportTokens } from '../../../../src/services/tokens/export/index.ts';
import { compareTheme, primerTheme, primerTokens } from './primer-themes.ts';

describe("Primer's light theme", () => {
  it.each([false, true])(
    'matches dist/css light.css variable by variable (outputReferences %s)',
    async (outputReferences) => {
      const { content } = await exportTokens(primerTokens(), 'css', { remBase: 16, outputReferences, mode: 'light' });
      const result = compareTheme(content, primerTheme('light'));
      console.log(`Primer light theme (outputReferences ${outputReferences}): ${result.matched} / ${result.total}`);
      expect(result.total).toBe(959);
      expect(result.mismatches).toEqual([]);
    },
    60_000,
  );
});
