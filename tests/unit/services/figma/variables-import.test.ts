import { describe, expect, it } from '@jest/globals';
import { importTokenFiles } from '../../../../src/services/tokens/import/index.ts';
import type { FigmaLocalVariables, FigmaVariable } from '../../../../src/services/figma/figma.types.ts';
import { convertVariables, figmaColorToHex, toDtcgDocument } from '../../../../src/services/figma/variables-import.ts';

const v = (id: string, name: string, type: FigmaVariable['resolvedType'], value: unknown, scopes = ['ALL_SCOPES']) =>
  ({
    id,
    name,
    key: id,
    variableCollectionId: 'C:1',
    resolvedType: type,
    valuesByMode: { 'm:1': value },
    remote: false,
    description: '',
    hiddenFromPublishing: false,
    scopes,
  }) as FigmaVariable;

const file = (...variables: FigmaVariable[]): FigmaLocalVariables => ({
  status: 200,
  error: false,
  meta: {
    variables: Object.fromEntries(variables.map((x) => [x.id, x])),
    variableCollections: {
      'C:1': {
        id: 'C:1',
        name: 'Core Tokens',
        key: 'c1',
        modes: [{ modeId: 'm:1', name: 'Default' }],
        defaultModeId: 'm:1',
        remote: false,
        hiddenFromPublishing: false,
        variableIds: variables.map((x) => x.id),
      },
    },
  },
});

describe('Figma variables → tokens', () => {
  it('writes colours as hex, with alpha only when not opaque', () => {
    expect(figmaColorToHex({ r: 1, g: 1, b: 1, a: 1 })).toBe('#ffffff');
    expect(figmaColorToHex({ r: 0, g: 0, b: 0, a: 0.5 })).toBe('#00000080');
  });

  it('types FLOATs by their scopes: sizes in px, opacity and weights as numbers', () => {
    const { tokens } = convertVariables(
      file(
        v('V:1', 'Spacing/Small', 'FLOAT', 4, ['GAP']),
        v('V:2', 'Opacity/Muted', 'FLOAT', 0.6, ['ALL_SCOPES']),
        v('V:3', 'Weight/Bold', 'FLOAT', 700, ['FONT_WEIGHT']),
        v('V:4', 'Size/Any', 'FLOAT', 12),
        v('V:5', 'Flags/Beta', 'BOOLEAN', true),
        v('V:6', 'Copy/Tagline', 'STRING', 'Hello'),
      ),
      'FILEKEY',
    );
    expect(tokens.get('core-tokens.spacing.small')).toMatchObject({ $type: 'dimension', $value: '4px' });
    expect(tokens.get('core-tokens.opacity.muted')).toMatchObject({ $type: 'number', $value: 0.6 });
    expect(tokens.get('core-tokens.weight.bold')).toMatchObject({ $type: 'fontWeight', $value: 700 });
    expect(tokens.get('core-tokens.size.any')).toMatchObject({ $type: 'dimension', $value: '12px' });
    expect(tokens.get('core-tokens.flags.beta')).toEqual(expect.objectContaining({ $value: true }));
    expect(tokens.get('core-tokens.flags.beta')?.$type).toBeUndefined();
    expect(tokens.get('core-tokens.copy.tagline')?.$value).toBe('Hello');
  });

  it('leaves out, with a warning, a variable aliasing another file’s variable, and a duplicate path', () => {
    const { tokens, warnings } = convertVariables(
      file(
        v('V:1', 'brand', 'COLOR', { type: 'VARIABLE_ALIAS', id: 'VariableID:abc123/9:9' }),
        v('V:2', 'Blue 500', 'COLOR', { r: 0, g: 0, b: 1, a: 1 }),
        v('V:3', 'blue 500', 'COLOR', { r: 0, g: 0, b: 0.5, a: 1 }),
      ),
      'FILEKEY',
    );
    expect([...tokens.keys()]).toEqual(['core-tokens.blue-500']);
    expect(warnings.map((w) => [w.path, w.code])).toEqual([
      ['core-tokens.brand', 'broken_alias'],
      ['core-tokens.blue-500', 'conflict'],
    ]);
    expect(warnings[0]?.message).toContain('another file');
  });

  it('writes a token that is also a group as the group’s $root', () => {
    const { tokens } = convertVariables(
      file(
        v('V:1', 'accent', 'COLOR', { r: 1, g: 0, b: 0, a: 1 }),
        v('V:2', 'accent/hover', 'COLOR', { type: 'VARIABLE_ALIAS', id: 'V:1' }),
      ),
      'FILEKEY',
    );
    const doc = toDtcgDocument(tokens) as any;
    expect(doc['core-tokens'].accent.$root.$value).toBe('#ff0000');
    expect(doc['core-tokens'].accent.hover.$value).toBe('{core-tokens.accent}');
    // The token import reads it back as both tokens.
    const read = importTokenFiles([{ path: 'f.json', content: JSON.stringify(doc) }], { format: 'dtcg' });
    expect(read.problems).toEqual([]);
    expect([...read.tokens.keys()].sort()).toEqual(['core-tokens.accent', 'core-tokens.accent.hover']);
  });

  it('leaves out variables whose names would reach an object prototype, polluting nothing', () => {
    const { tokens, warnings } = convertVariables(
      file(
        v('V:1', '__proto__/polluted', 'STRING', 'yes'),
        v('V:2', 'constructor/polluted', 'STRING', 'yes'),
        v('V:3', 'Brand/prototype', 'STRING', 'yes'),
        v('V:4', 'Brand/ok', 'STRING', 'fine'),
        v('V:5', 'Brand/points-at-bad', 'STRING', { type: 'VARIABLE_ALIAS', id: 'V:1' }),
      ),
      'FILEKEY',
    );
    const document = toDtcgDocument(tokens) as Record<string, Record<string, unknown>>;
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect((Object as unknown as Record<string, unknown>).polluted).toBeUndefined();
    expect([...tokens.keys()]).toEqual(['core-tokens.brand.ok']);
    expect(Object.keys(document['core-tokens'] ?? {})).toEqual(['brand']);
    expect(warnings.map((w) => w.code)).toEqual(['forbidden_key', 'forbidden_key', 'forbidden_key', 'broken_alias']);
    expect(warnings[0]?.message).toContain('__proto__');
  });
});
