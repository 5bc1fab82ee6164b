// A recorded-shape Figma file for the stand-in: the variables of a small design system (a Primitives
// collection with one mode, a Semantic one with Light and Dark whose values alias the primitives) and
// a Button component set (Primary/Secondary variants, auto layout, radius, a text label) whose
// values are bound to those variables — shaped exactly as Figma's REST API answers.

const rgb = (hex: string, a = 1) => ({
  r: Number.parseInt(hex.slice(1, 3), 16) / 255,
  g: Number.parseInt(hex.slice(3, 5), 16) / 255,
  b: Number.parseInt(hex.slice(5, 7), 16) / 255,
  a,
});
const alias = (id: string) => ({ type: 'VARIABLE_ALIAS', id });

export const FILE_KEY = 'hG7kN2pQx9TzL4mWvB8cRd';
export const BUTTON_NODE = '12:34';

const variable = (
  id: string,
  name: string,
  collection: string,
  resolvedType: 'COLOR' | 'FLOAT' | 'STRING' | 'BOOLEAN',
  valuesByMode: Record<string, unknown>,
  scopes: string[] = ['ALL_SCOPES'],
) => ({
  id,
  name,
  key: `${id.replace(/\D+/g, '')}a9f3c1e07b5d2468ace13579bdf02468ace1357`.slice(0, 40),
  variableCollectionId: collection,
  resolvedType,
  valuesByMode,
  remote: false,
  description: '',
  hiddenFromPublishing: false,
  scopes,
  codeSyntax: {},
});

const P = 'VariableCollectionId:1:2';
const S = 'VariableCollectionId:2:0';
const V = '1:0'; // Primitives' one mode
const LIGHT = '2:0';
const DARK = '2:1';

/** `GET /v1/files/:key/variables/local`. */
export function localVariables() {
  const variables = [
    variable('VariableID:1:3', 'color/blue/600', P, 'COLOR', { [V]: rgb('#2563eb') }, ['ALL_FILLS', 'STROKE_COLOR']),
    variable('VariableID:1:4', 'color/blue/700', P, 'COLOR', { [V]: rgb('#1d4ed8') }, ['ALL_FILLS', 'STROKE_COLOR']),
    variable('VariableID:1:5', 'color/gray/0', P, 'COLOR', { [V]: rgb('#ffffff') }),
    variable('VariableID:1:6', 'color/gray/900', P, 'COLOR', { [V]: rgb('#111827') }),
    variable('VariableID:1:7', 'color/gray/100', P, 'COLOR', { [V]: rgb('#f3f4f6') }),
    variable('VariableID:1:8', 'space/2', P, 'FLOAT', { [V]: 8 }, ['GAP']),
    variable('VariableID:1:9', 'space/4', P, 'FLOAT', { [V]: 16 }, ['GAP', 'WIDTH_HEIGHT']),
    variable('VariableID:1:10', 'radius/md', P, 'FLOAT', { [V]: 6 }, ['CORNER_RADIUS']),
    variable('VariableID:1:11', 'font/family/sans', P, 'STRING', { [V]: 'Inter' }, ['FONT_FAMILY']),
    variable('VariableID:1:12', 'opacity/disabled', P, 'FLOAT', { [V]: 0.4 }, ['OPACITY']),
    variable('VariableID:1:13', 'font/size/md', P, 'FLOAT', { [V]: 14 }, ['FONT_SIZE']),
    variable('VariableID:2:1', 'button/primary/background', S, 'COLOR', {
      [LIGHT]: alias('VariableID:1:3'),
      [DARK]: alias('VariableID:1:4'),
    }),
    variable('VariableID:2:2', 'button/primary/text', S, 'COLOR', {
      [LIGHT]: alias('VariableID:1:5'),
      [DARK]: alias('VariableID:1:5'),
    }),
    variable('VariableID:2:3', 'surface/default', S, 'COLOR', {
      [LIGHT]: alias('VariableID:1:5'),
      [DARK]: alias('VariableID:1:6'),
    }),
    variable('VariableID:2:4', 'text/default', S, 'COLOR', {
      [LIGHT]: alias('VariableID:1:6'),
      [DARK]: alias('VariableID:1:5'),
    }),
    variable('VariableID:2:5', 'button/secondary/background', S, 'COLOR', {
      [LIGHT]: alias('VariableID:1:7'),
      [DARK]: rgb('#333340'),
    }),
    variable('VariableID:2:6', 'focus/ring', S, 'COLOR', { [LIGHT]: rgb('#2563eb', 0.5), [DARK]: rgb('#93c5fd', 0.5) }),
  ];
  const collection = (id: string, name: string, modes: { modeId: string; name: string }[]) => ({
    id,
    name,
    key: `${id.replace(/\D+/g, '')}0c1d2e3f4a5b6c7d8e9f0a1b2c3d4e5f6a7b8c9d`.slice(0, 40),
    modes,
    defaultModeId: modes[0]?.modeId,
    remote: false,
    hiddenFromPublishing: false,
    variableIds: variables.filter((v) => v.variableCollectionId === id).map((v) => v.id),
  });
  return {
    status: 200,
    error: false,
    meta: {
      variables: Object.fromEntries(variables.map((v) => [v.id, v])),
      variableCollections: {
        [P]: collection(P, 'Primitives', [{ modeId: V, name: 'Value' }]),
        [S]: collection(S, 'Semantic', [
          { modeId: LIGHT, name: 'Light' },
          { modeId: DARK, name: 'Dark' },
        ]),
      },
    },
  };
}

const solid = (hex: string, variableId?: string) => ({
  blendMode: 'NORMAL',
  type: 'SOLID',
  color: rgb(hex),
  ...(variableId ? { boundVariables: { color: alias(variableId) } } : {}),
});

const label = (id: string, fill: ReturnType<typeof solid>) => ({
  id,
  name: 'Label',
  type: 'TEXT',
  scrollBehavior: 'SCROLLS',
  blendMode: 'PASS_THROUGH',
  fills: [fill],
  strokes: [],
  strokeWeight: 1,
  strokeAlign: 'OUTSIDE',
  absoluteBoundingBox: { x: 16, y: 8, width: 47, height: 20 },
  constraints: { vertical: 'TOP', horizontal: 'LEFT' },
  layoutAlign: 'INHERIT',
  layoutGrow: 0,
  characters: 'Button',
  style: {
    fontFamily: 'Inter',
    fontPostScriptName: 'Inter-SemiBold',
    fontStyle: 'Semi Bold',
    fontWeight: 600,
    textAutoResize: 'WIDTH_AND_HEIGHT',
    fontSize: 14,
    textAlignHorizontal: 'LEFT',
    textAlignVertical: 'TOP',
    letterSpacing: 0,
    lineHeightPx: 20,
    lineHeightPercent: 118.9,
    lineHeightPercentFontSize: 142.86,
    lineHeightUnit: 'PIXELS',
  },
  characterStyleOverrides: [],
  styleOverrideTable: {},
  lineTypes: ['NONE'],
  lineIndentations: [0],
  boundVariables: {
    fontFamily: [alias('VariableID:1:11')],
    fontSize: [alias('VariableID:1:13')],
  },
});

const variant = (
  id: string,
  name: string,
  fill: ReturnType<typeof solid>,
  text: ReturnType<typeof solid>,
  stroke?: ReturnType<typeof solid>,
) => ({
  id,
  name,
  type: 'COMPONENT',
  scrollBehavior: 'SCROLLS',
  blendMode: 'PASS_THROUGH',
  children: [label(`${id.split(':')[0]}:${Number(id.split(':')[1]) + 1}`, text)],
  fills: [fill],
  strokes: stroke ? [stroke] : [],
  strokeWeight: 1,
  strokeAlign: 'INSIDE',
  cornerRadius: 6,
  cornerSmoothing: 0,
  absoluteBoundingBox: { x: 0, y: 0, width: 79, height: 36 },
  constraints: { vertical: 'TOP', horizontal: 'LEFT' },
  layoutMode: 'HORIZONTAL',
  counterAxisSizingMode: 'AUTO',
  primaryAxisSizingMode: 'AUTO',
  primaryAxisAlignItems: 'CENTER',
  counterAxisAlignItems: 'CENTER',
  paddingLeft: 16,
  paddingRight: 16,
  paddingTop: 8,
  paddingBottom: 8,
  itemSpacing: 8,
  boundVariables: {
    fills: fill.boundVariables ? [fill.boundVariables.color] : undefined,
    itemSpacing: alias('VariableID:1:8'),
    paddingLeft: alias('VariableID:1:9'),
    paddingRight: alias('VariableID:1:9'),
    topLeftRadius: alias('VariableID:1:10'),
    topRightRadius: alias('VariableID:1:10'),
    bottomLeftRadius: alias('VariableID:1:10'),
    bottomRightRadius: alias('VariableID:1:10'),
  },
  effects: [],
});

/** The Button component set (`GET /v1/files/:key/nodes?ids=12:34`'s one entry). */
export function buttonEntry() {
  return {
    document: {
      id: BUTTON_NODE,
      name: 'Button',
      type: 'COMPONENT_SET',
      scrollBehavior: 'SCROLLS',
      blendMode: 'PASS_THROUGH',
      children: [
        variant('12:35', 'Variant=Primary', solid('#2563eb', 'VariableID:2:1'), solid('#ffffff', 'VariableID:2:2')),
        // The secondary variant's border is not bound to a variable: it is matched by its colour.
        variant(
          '12:37',
          'Variant=Secondary',
          solid('#f3f4f6', 'VariableID:2:5'),
          solid('#111827', 'VariableID:2:4'),
          solid('#111827'),
        ),
      ],
      fills: [],
      strokes: [solid('#9747ff')].map((s) => ({ ...s, visible: false })),
      strokeWeight: 1,
      strokeAlign: 'INSIDE',
      absoluteBoundingBox: { x: 0, y: 0, width: 200, height: 56 },
      componentPropertyDefinitions: {
        Variant: { type: 'VARIANT', defaultValue: 'Primary', variantOptions: ['Primary', 'Secondary'] },
        'Label#12:5': { type: 'TEXT', defaultValue: 'Button' },
      },
    },
    components: {
      '12:35': {
        key: 'a1b2c3d4e5f60718293a4b5c6d7e8f9012345678',
        name: 'Variant=Primary',
        description: '',
        componentSetId: BUTTON_NODE,
        documentationLinks: [],
      },
      '12:37': {
        key: 'b1c2d3e4f5a60718293a4b5c6d7e8f9012345678',
        name: 'Variant=Secondary',
        description: '',
        componentSetId: BUTTON_NODE,
        documentationLinks: [],
      },
    },
    componentSets: {
      [BUTTON_NODE]: {
        key: 'c1d2e3f4a5b60718293a4b5c6d7e8f9012345678',
        name: 'Button',
        description: 'Primary and secondary actions',
        documentationLinks: [],
      },
    },
    schemaVersion: 0,
    styles: {},
  };
}
