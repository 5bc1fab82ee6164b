import { describe, expect, it } from '@jest/globals';
import { importTokenFiles } from '../../../../src/services/tokens/import/index.ts';
import { SET_EXTENSION } from '../../../../src/services/tokens/token.types.ts';

const files = [
  {
    path: 'tokens/core.json',
    content: JSON.stringify({
      spacing: { md: { value: '16', type: 'spacing' } },
      radius: { sm: { value: 4, type: 'borderRadius' } },
      weight: { bold: { value: 'Bold', type: 'fontWeights' } },
      family: { base: { value: 'Inter', type: 'fontFamilies' } },
      opacity: { half: { value: '50%', type: 'opacity' } },
    }),
  },
  {
    path: 'tokens/light.json',
    content: JSON.stringify({
      bg: { value: '#ffffff', type: 'color', description: 'Page background' },
      shadow: { value: { x: 0, y: 2, blur: 4, spread: 0, color: '#00000033', type: 'dropShadow' }, type: 'boxShadow' },
      body: {
        value: { fontFamily: '{family.base}', fontWeight: '{weight.bold}', fontSize: '16', lineHeight: '150%' },
        type: 'typography',
      },
    }),
  },
  { path: 'tokens/dark.json', content: JSON.stringify({ bg: { value: '#000000', type: 'color' } }) },
  { path: 'tokens/$metadata.json', content: JSON.stringify({ tokenSetOrder: ['core', 'light', 'dark'] }) },
  {
    path: 'tokens/$themes.json',
    content: JSON.stringify([
      { id: 't1', name: 'Light', selectedTokenSets: { core: 'source', light: 'enabled', dark: 'disabled' } },
      { id: 't2', name: 'Dark', selectedTokenSets: { core: 'source', light: 'disabled', dark: 'enabled' } },
    ]),
  },
];

describe('Tokens Studio import', () => {
  it('reports conflicting sets when no theme is chosen and no $themes say which is which', () => {
    const result = importTokenFiles(files.filter((f) => !f.path.endsWith('$themes.json')));
    expect(result.format).toBe('tokens-studio');
    expect(result.problems).toEqual([
      {
        path: 'bg',
        code: 'set_required',
        message: 'defined differently in sets light, dark; choose a theme or sets',
        file: 'tokens/light.json',
        line: 1,
        column: 2,
      },
    ]);
  });

  it('imports every set with $themes, each theme a mode (the first one’s values the defaults)', () => {
    const result = importTokenFiles(files);
    expect(result.problems).toEqual([]);
    expect(result.themes.map((t) => t.name)).toEqual(['Light', 'Dark']);
    expect(result.tokens.get('bg')).toMatchObject({
      $value: '#ffffff',
      modes: { Dark: { $value: '#000000', $extensions: { [SET_EXTENSION]: 'dark' } } },
    });
  });

  it('imports a theme with DTCG types and values, each token remembering its set', () => {
    const { tokens, problems } = importTokenFiles(files, { theme: 'Dark' });
    expect(problems).toEqual([]);
    expect(tokens.get('bg')).toEqual({ $value: '#000000', $type: 'color', $extensions: { [SET_EXTENSION]: 'dark' } });
    expect(tokens.get('spacing.md')).toMatchObject({
      $value: '16px',
      $type: 'dimension',
      $extensions: { [SET_EXTENSION]: 'core' },
    });
    expect(tokens.get('radius.sm')?.$value).toBe('4px');
    expect(tokens.get('weight.bold')).toMatchObject({ $value: 700, $type: 'fontWeight' });
    expect(tokens.get('opacity.half')).toMatchObject({ $value: 0.5, $type: 'number' });
    expect(tokens.has('shadow')).toBe(false);

    const light = importTokenFiles(files, { theme: 'Light' });
    expect(light.problems).toEqual([]);
    expect(light.tokens.get('shadow')).toMatchObject({
      $type: 'shadow',
      $value: { color: '#00000033', offsetX: '0', offsetY: '2px', blur: '4px', spread: '0' },
    });
    expect(light.tokens.get('body')?.$value).toEqual({
      fontFamily: '{family.base}',
      fontWeight: '{weight.bold}',
      fontSize: '16px',
      lineHeight: 1.5,
    });
  });

  it('reads a single file holding every set plus $themes and $metadata', () => {
    const single = {
      global: { size: { value: '8', type: 'sizing' } },
      brand: { size: { value: '{size}', type: 'sizing' } },
      $metadata: { tokenSetOrder: ['global', 'brand'] },
      $themes: [],
    };
    const result = importTokenFiles([{ path: 'tokens.json', content: JSON.stringify(single) }], { sets: ['global'] });
    expect(result.format).toBe('tokens-studio');
    expect(result.problems).toEqual([]);
    expect(result.tokens.get('size')).toMatchObject({ $value: '8px', $type: 'dimension' });
  });
});
