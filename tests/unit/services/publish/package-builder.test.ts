// The package's token files: a design system with modes ships them all in its CSS (issue 17 item 2).
import { describe, expect, it } from '@jest/globals';
import { buildPackage } from '../../../../src/services/publish/package-builder.ts';
import type { TokenMap } from '../../../../src/services/tokens/token.types.ts';

const input = (tokens: TokenMap) => ({
  name: '@acme/tokens',
  version: '1.0.0',
  description: 'Acme',
  tokens,
  components: [],
  changelog: '',
});

describe('buildPackage tokens', () => {
  it('writes every mode into tokens.css as [data-color-mode] blocks, the defaults on :root', async () => {
    const tokens: TokenMap = new Map([
      ['color.bg', { $value: '#ffffff', $type: 'color', modes: { dark: '#000000' } }],
      ['space.sm', { $value: '4px', $type: 'dimension' }],
    ]);
    const css = (await buildPackage(input(tokens))).get('tokens/tokens.css') ?? '';
    expect(css).toContain(':root {\n  --color-bg: #ffffff;\n  --space-sm: 4px;\n}');
    expect(css).toContain('[data-color-mode="dark"] {\n  --color-bg: #000000;\n}');
    // The other formats hold the defaults.
    expect((await buildPackage(input(tokens))).get('tokens/tokens.js')).toContain('colorBg = "#ffffff"');
  });

  it("gives a mode with a fallback the fallback's values where it has none (Primer's dark-dimmed on dark)", async () => {
    const tokens: TokenMap = new Map([
      ['color.bg', { $value: '#ffffff', $type: 'color', modes: { dark: '#0d1117', 'dark-dimmed': '#212830' } }],
      ['color.fg', { $value: '#1f2328', $type: 'color', modes: { dark: '#f0f6fc' } }],
    ]);
    const css =
      (await buildPackage({ ...input(tokens), modeFallbacks: { 'dark-dimmed': 'dark' } })).get('tokens/tokens.css') ??
      '';
    const dimmed = css.slice(css.indexOf('[data-color-mode="dark-dimmed"]'));
    expect(dimmed).toContain('--color-bg: #212830;');
    expect(dimmed).toContain('--color-fg: #f0f6fc;');
  });

  it('writes plain :root CSS without modes', async () => {
    const tokens: TokenMap = new Map([['space.sm', { $value: '4px', $type: 'dimension' }]]);
    const css = (await buildPackage(input(tokens))).get('tokens/tokens.css') ?? '';
    expect(css).toContain('--space-sm: 4px;');
    expect(css).not.toContain('data-color-mode');
  });
});
