// Issue 17 item 1: an alias resolves to the token it names, with that token's own modifiers (Primer's
// `alpha`), not to the value at the end of the alias chain — in every format.
import { describe, expect, it } from '@jest/globals';
import { exportTokens } from '../../../../src/services/tokens/export/index.ts';
import { importTokenFiles } from '../../../../src/services/tokens/import/index.ts';
import type { ExportFormat } from '../../../../src/services/tokens/token.types.ts';

const source = {
  base: { red: { $type: 'color', $value: '#ff0000' } },
  danger: { muted: { $type: 'color', $value: '{base.red}', alpha: 0.4 } },
  closed: {
    muted: { $type: 'color', $value: '{danger.muted}' },
    faint: { $type: 'color', $value: '{danger.muted}', alpha: 0.1 },
  },
  shadow: {
    soft: { $type: 'shadow', $value: { color: '{closed.muted}', offsetX: '0px', offsetY: '1px', blur: '2px' } },
  },
};
const tokens = () => {
  const result = importTokenFiles([{ path: 'tokens.json', content: JSON.stringify(source) }]);
  expect(result.problems).toEqual([]);
  return result.tokens;
};
const out = async (format: ExportFormat, outputReferences = false) =>
  (await exportTokens(tokens(), format, { outputReferences })).content;

describe('alpha through aliases', () => {
  it.each([false, true])('CSS keeps the alpha of the token referenced (outputReferences %s)', async (refs) => {
    const css = await out('css', refs);
    expect(css).toContain('--danger-muted: #ff000066;');
    expect(css).toContain(refs ? '--closed-muted: var(--danger-muted);' : '--closed-muted: #ff000066;');
    // A token's own alpha wins over the one of the token it names.
    expect(css).toContain('--closed-faint: #ff00001a;');
    expect(css).toContain(
      refs ? '--shadow-soft: 0 1px 2px 0 var(--closed-muted);' : '--shadow-soft: 0 1px 2px 0 #ff000066;',
    );
  });

  it.each([false, true])('SCSS and Less likewise (outputReferences %s)', async (refs) => {
    expect(await out('scss', refs)).toContain(refs ? '$closed-muted: $danger-muted;' : '$closed-muted: #ff000066;');
    expect(await out('less', refs)).toContain(refs ? '@closed-muted: @danger-muted;' : '@closed-muted: #ff000066;');
  });

  it('JS, TS and flat JSON write the referenced token’s value', async () => {
    expect(await out('js')).toContain('export const closedMuted = "#ff000066";');
    expect(await out('ts')).toContain('export const closedMuted: string = "#ff000066";');
    expect(JSON.parse(await out('json'))).toMatchObject({ 'closed-muted': '#ff000066', 'closed-faint': '#ff00001a' });
  });

  it('Android and Swift carry the alpha', async () => {
    const android = await out('android-xml');
    expect(android).toMatch(/<color name="closed_muted">#66ff0000<\/color>/);
    expect(android).toMatch(/<color name="closed_faint">#1aff0000<\/color>/);
    const swift = await out('ios-swift');
    expect(swift).toMatch(/closedMuted = UIColor\(red: 1, green: 0, blue: 0, alpha: 0.4\)/);
    expect(swift).toMatch(/closedFaint = UIColor\(red: 1, green: 0, blue: 0, alpha: 0.1\)/);
  });

  it('DTCG keeps the aliases and each token’s own alpha', async () => {
    expect(JSON.parse(await out('dtcg'))).toEqual(source);
  });
});
