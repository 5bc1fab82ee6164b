// Figma values → the design system's tokens. A value bound to a variable maps to the token imported
// from that variable (its `com.figma` origin); any other value maps to a token with the same
// resolved colour or size, preferring a token whose name fits the role (background, text, radius…)
// and an alias (a semantic token) over the primitive it points at.
import { lookupIn, resolveAlias } from '../tokens/aliases.ts';
import { kebabName } from '../tokens/export/names.ts';
import type { TokenMap } from '../tokens/token.types.ts';
import { isRecord, parseColor, parseDimension, rgbaToHex } from '../tokens/values.ts';
import type { Bound, FigmaNodeContext, FigmaProperty, FigmaShape } from './node-context.ts';
import { FIGMA_EXTENSION } from './variables-import.ts';

/** One value of the node and the token it maps to. */
export interface MappedValue {
  /** As Figma has it: `#1d4ed8`, `16px`, `Inter`, `600`. */
  figma: string;
  /** The CSS variable of the mapped token (`--color-brand`), or null when no token matches. */
  variable: string | null;
  token: string | null;
  matchedBy: 'bound-variable' | 'value' | null;
}

export type StyleRole =
  | 'background'
  | 'color'
  | 'borderColor'
  | 'borderWidth'
  | 'borderRadius'
  | 'gap'
  | 'paddingTop'
  | 'paddingRight'
  | 'paddingBottom'
  | 'paddingLeft'
  | 'fontFamily'
  | 'fontSize'
  | 'fontWeight'
  | 'lineHeight';

export type MappedStyles = Partial<Record<StyleRole, MappedValue>>;

/** The structured Figma context a generation gets (the `figma` section of the prompt). */
export interface FigmaSpec {
  url: string;
  fileKey: string;
  nodeId: string;
  version: string;
  name: string;
  type: string;
  /** Auto-layout direction (`row` for horizontal), null without auto layout. */
  direction: 'row' | 'column' | null;
  /** The label's text, when the node has one. */
  label: string | null;
  styles: MappedStyles;
  /** The first VARIANT property, with the styles that change per option. */
  variants: { property: string; options: string[]; default: string; styles: Record<string, MappedStyles> } | null;
  /** The other component properties (more variant axes, booleans, texts). */
  properties: FigmaProperty[];
  /** Values no token matched (the generated code uses the nearest fitting variable instead). */
  unmapped: string[];
}

const ROLE_HINTS: Record<StyleRole, RegExp> = {
  background: /(bg|background|surface|fill|container)/i,
  color: /(text|fg|foreground|on-|label|content|ink)/i,
  borderColor: /(border|stroke|outline)/i,
  borderWidth: /(border|stroke)/i,
  borderRadius: /(radius|rounded|corner)/i,
  gap: /(space|spacing|gap)/i,
  paddingTop: /(space|spacing|padding)/i,
  paddingRight: /(space|spacing|padding)/i,
  paddingBottom: /(space|spacing|padding)/i,
  paddingLeft: /(space|spacing|padding)/i,
  fontFamily: /(font|family|typeface)/i,
  fontSize: /(font|size|text)/i,
  fontWeight: /(weight)/i,
  lineHeight: /(line|leading)/i,
};

interface Index {
  byVariable: Map<string, string>;
  byValue: Map<string, string[]>;
  aliases: Set<string>;
}

const colorKey = (hex: string) => `color:${hex.toLowerCase()}`;
const sizeKey = (px: number) => `size:${Math.round(px * 100) / 100}`;
const textKey = (s: string) => `text:${s.toLowerCase()}`;

function valueKeys(type: string | undefined, value: unknown): string[] {
  if (type === 'color') {
    const rgba = parseColor(value);
    return rgba ? [colorKey(rgbaToHex(rgba))] : [];
  }
  if (type === 'dimension') {
    const d = parseDimension(value);
    if (!d) return [];
    if (d.unit === 'px' || d.unit === '') return [sizeKey(d.value)];
    return d.unit === 'rem' ? [sizeKey(d.value * 16)] : [];
  }
  if (type === 'number' || type === 'fontWeight') return typeof value === 'number' ? [sizeKey(value)] : [];
  if (type === 'fontFamily') {
    const first = Array.isArray(value) ? value[0] : value;
    return typeof first === 'string' ? [textKey(first)] : [];
  }
  return [];
}

/** Indexes the tokens by the Figma variable they came from and by resolved value. */
export function indexTokens(tokens: TokenMap): Index {
  const lookup = lookupIn(tokens);
  const index: Index = { byVariable: new Map(), byValue: new Map(), aliases: new Set() };
  for (const [path, token] of tokens) {
    const origin = token.$extensions?.[FIGMA_EXTENSION];
    if (isRecord(origin)) {
      if (typeof origin.variableId === 'string') index.byVariable.set(origin.variableId, path);
      if (typeof origin.variableKey === 'string') index.byVariable.set(`key:${origin.variableKey}`, path);
    }
    const resolved = resolveAlias(path, lookup);
    if (!resolved.ok) continue;
    if (resolved.chain.length > 1) index.aliases.add(path);
    const type = token.$type ?? resolved.token.$type;
    for (const key of valueKeys(type, resolved.token.$value)) {
      const list = index.byValue.get(key) ?? [];
      list.push(path);
      index.byValue.set(key, list);
    }
  }
  return index;
}

/** A bound id of a library variable is `VariableID:<key>/<local id>`: matched by its key. */
const libraryKey = (variableId: string) => /^VariableID:([0-9a-f]{20,})\//i.exec(variableId)?.[1];

function pickByRole(candidates: string[], role: StyleRole, index: Index): string | undefined {
  const hint = ROLE_HINTS[role];
  const score = (path: string) => (hint.test(path) ? 2 : 0) + (index.aliases.has(path) ? 1 : 0);
  return [...candidates].sort((a, b) => score(b) - score(a))[0];
}

function mapOne(role: StyleRole, bound: Bound<string | number>, index: Index): MappedValue {
  const isColor = role === 'background' || role === 'color' || role === 'borderColor';
  const figma =
    typeof bound.value === 'string'
      ? bound.value
      : role === 'fontWeight'
        ? String(bound.value)
        : `${Math.round(bound.value * 100) / 100}px`;
  const viaVariable =
    bound.variableId &&
    (index.byVariable.get(bound.variableId) ?? index.byVariable.get(`key:${libraryKey(bound.variableId) ?? ''}`));
  if (viaVariable)
    return { figma, variable: `--${kebabName(viaVariable)}`, token: viaVariable, matchedBy: 'bound-variable' };
  const key = isColor
    ? colorKey(String(bound.value))
    : role === 'fontFamily'
      ? textKey(String(bound.value))
      : sizeKey(Number(bound.value));
  const candidates = index.byValue.get(key) ?? [];
  const token = pickByRole(candidates, role, index);
  return token
    ? { figma, variable: `--${kebabName(token)}`, token, matchedBy: 'value' }
    : { figma, variable: null, token: null, matchedBy: null };
}

/** The styles of a shape, mapped. */
export function mapShape(shape: FigmaShape, index: Index): MappedStyles {
  const out: MappedStyles = {};
  const put = (role: StyleRole, bound: Bound<string | number> | null | undefined) => {
    if (bound) out[role] = mapOne(role, bound, index);
  };
  put('background', shape.background);
  put('borderColor', shape.borderColor);
  put('borderWidth', shape.borderWidth);
  if (shape.radius && shape.radius.value > 0) put('borderRadius', shape.radius);
  if (shape.gap && shape.gap.value > 0) put('gap', shape.gap);
  if (shape.padding) {
    put('paddingTop', shape.padding.top);
    put('paddingRight', shape.padding.right);
    put('paddingBottom', shape.padding.bottom);
    put('paddingLeft', shape.padding.left);
  }
  const text = shape.text;
  if (text) {
    put('color', text.color);
    put('fontFamily', text.fontFamily);
    put('fontSize', text.fontSize);
    put('fontWeight', text.fontWeight);
    put('lineHeight', text.lineHeight);
  }
  return out;
}

/** What changes per variant: colours and the border. */
const VARIANT_ROLES: StyleRole[] = ['background', 'color', 'borderColor', 'borderWidth'];

/** The node's context with every value mapped to the design system's tokens. */
export function mapToTokens(
  context: FigmaNodeContext,
  tokens: TokenMap,
  source: { url: string; fileKey: string; version: string },
): FigmaSpec {
  const index = indexTokens(tokens);
  const styles = mapShape(context.shape, index);
  const axis = context.properties.find((p) => p.type === 'VARIANT');
  let variants: FigmaSpec['variants'] = null;
  if (axis) {
    const perOption: Record<string, MappedStyles> = {};
    for (const option of axis.options) {
      const variant =
        context.variants.find((v) =>
          Object.entries(v.values).every(([k, val]) =>
            k === axis.name ? val === option : val === defaultOf(context, k),
          ),
        ) ?? context.variants.find((v) => v.values[axis.name] === option);
      if (!variant) continue;
      const mapped = mapShape(variant.shape, index);
      perOption[option] = Object.fromEntries(VARIANT_ROLES.filter((r) => mapped[r]).map((r) => [r, mapped[r]]));
    }
    variants = { property: axis.name, options: axis.options, default: String(axis.default), styles: perOption };
  }
  const all = [styles, ...Object.values(variants?.styles ?? {})];
  const unmapped = [
    ...new Set(
      all.flatMap((s) =>
        Object.entries(s)
          .filter(([, v]) => v && !v.variable)
          .map(([role, v]) => `${role} ${v?.figma}`),
      ),
    ),
  ];
  return {
    url: source.url,
    fileKey: source.fileKey,
    nodeId: context.nodeId,
    version: source.version,
    name: context.name,
    type: context.type,
    direction: context.shape.direction,
    label: context.shape.text?.characters || null,
    styles,
    variants,
    properties: context.properties.filter((p) => p !== axis),
    unmapped,
  };
}

function defaultOf(context: FigmaNodeContext, property: string): string | undefined {
  const p = context.properties.find((x) => x.name === property);
  return p ? String(p.default) : undefined;
}
