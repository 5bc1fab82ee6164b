// What a generation needs to know of a Figma node, read from `GET /v1/files/:key/nodes`: its fills and
// strokes, corner radius, auto-layout (direction, gap, padding), its label's text style, its component
// properties and variants, and which variable each of those values is bound to.
import type { BoundVariables, FigmaNode, FigmaNodeEntry, FigmaPaint, VariableAlias } from './figma.types.ts';
import { figmaColorToHex } from './variables-import.ts';

/** A value as Figma has it, and the variable it is bound to (when it is). */
export interface Bound<T> {
  value: T;
  variableId: string | null;
}

export interface FigmaShape {
  background: Bound<string> | null;
  borderColor: Bound<string> | null;
  borderWidth: Bound<number> | null;
  radius: Bound<number> | null;
  direction: 'row' | 'column' | null;
  gap: Bound<number> | null;
  padding: { top: Bound<number>; right: Bound<number>; bottom: Bound<number>; left: Bound<number> } | null;
  text: {
    characters: string;
    color: Bound<string> | null;
    fontFamily: Bound<string> | null;
    fontSize: Bound<number> | null;
    fontWeight: Bound<number> | null;
    lineHeight: Bound<number> | null;
  } | null;
}

export interface FigmaVariantContext {
  /** The variant component's name, `Variant=Primary, Size=Medium`. */
  name: string;
  values: Record<string, string>;
  shape: FigmaShape;
}

export interface FigmaProperty {
  name: string;
  type: 'BOOLEAN' | 'INSTANCE_SWAP' | 'TEXT' | 'VARIANT';
  default: string | boolean;
  options: string[];
}

export interface FigmaNodeContext {
  nodeId: string;
  name: string;
  type: string;
  /** The node's own shape, or its default variant's for a component set. */
  shape: FigmaShape;
  properties: FigmaProperty[];
  variants: FigmaVariantContext[];
  /** Every variable bound anywhere in the node's subtree. */
  boundVariables: string[];
}

const aliasId = (a: VariableAlias | VariableAlias[] | undefined, index = 0): string | null =>
  (Array.isArray(a) ? a[index]?.id : a?.id) ?? null;

const visible = (paints: FigmaPaint[] | undefined) =>
  (paints ?? []).map((p, i) => ({ p, i })).filter(({ p }) => p.visible !== false && p.type === 'SOLID' && p.color);

function paint(paints: FigmaPaint[] | undefined, bound: BoundVariables | undefined, key: string): Bound<string> | null {
  const first = visible(paints)[0];
  if (!first?.p.color) return null;
  const color = { ...first.p.color, a: first.p.color.a * (first.p.opacity ?? 1) };
  return {
    value: figmaColorToHex(color),
    variableId: first.p.boundVariables?.color?.id ?? aliasId(bound?.[key], first.i),
  };
}

const num = (value: number | undefined, bound: BoundVariables | undefined, ...keys: string[]): Bound<number> | null =>
  value === undefined ? null : { value, variableId: keys.map((k) => aliasId(bound?.[k])).find(Boolean) ?? null };

function firstText(node: FigmaNode): FigmaNode | undefined {
  if (node.type === 'TEXT') return node;
  for (const child of node.children ?? []) {
    if (child.visible === false) continue;
    const found = firstText(child);
    if (found) return found;
  }
  return undefined;
}

/** The shape of one node (not a component set). */
export function shapeOf(node: FigmaNode): FigmaShape {
  const b = node.boundVariables;
  const auto = node.layoutMode === 'HORIZONTAL' || node.layoutMode === 'VERTICAL';
  const side = (v: number | undefined, key: string) => num(v ?? 0, b, key) as Bound<number>;
  const text = firstText(node);
  const tb = text?.boundVariables;
  const style = text?.style;
  return {
    background: node.type === 'TEXT' ? null : paint(node.fills, b, 'fills'),
    borderColor: paint(node.strokes, b, 'strokes'),
    borderWidth: visible(node.strokes).length ? num(node.strokeWeight, b, 'strokeWeight') : null,
    radius: num(node.cornerRadius ?? node.rectangleCornerRadii?.[0], b, 'topLeftRadius', 'cornerRadius'),
    direction: auto ? (node.layoutMode === 'HORIZONTAL' ? 'row' : 'column') : null,
    gap: auto ? num(node.itemSpacing ?? 0, b, 'itemSpacing') : null,
    padding: auto
      ? {
          top: side(node.paddingTop, 'paddingTop'),
          right: side(node.paddingRight, 'paddingRight'),
          bottom: side(node.paddingBottom, 'paddingBottom'),
          left: side(node.paddingLeft, 'paddingLeft'),
        }
      : null,
    text: text
      ? {
          characters: text.characters ?? '',
          color: paint(text.fills, tb, 'fills'),
          fontFamily: style?.fontFamily ? { value: style.fontFamily, variableId: aliasId(tb?.fontFamily) } : null,
          fontSize: num(style?.fontSize, tb, 'fontSize'),
          fontWeight: num(style?.fontWeight, tb, 'fontWeight'),
          lineHeight: num(style?.lineHeightPx, tb, 'lineHeight'),
        }
      : null,
  };
}

/** `Variant=Primary, Size=Medium` → `{ Variant: 'Primary', Size: 'Medium' }`. */
export function variantValues(name: string): Record<string, string> {
  const values: Record<string, string> = {};
  for (const pair of name.split(',')) {
    const [key, ...rest] = pair.split('=');
    if (key && rest.length) values[key.trim()] = rest.join('=').trim();
  }
  return values;
}

function collectBound(node: FigmaNode, into: Set<string>): void {
  const add = (a: unknown) => {
    for (const x of Array.isArray(a) ? a : [a])
      if (x && typeof x === 'object' && typeof (x as VariableAlias).id === 'string') into.add((x as VariableAlias).id);
  };
  for (const v of Object.values(node.boundVariables ?? {})) add(v);
  for (const p of [...(node.fills ?? []), ...(node.strokes ?? [])]) add(p.boundVariables?.color);
  for (const child of node.children ?? []) collectBound(child, into);
}

/** Reads a node entry of `GET /v1/files/:key/nodes` into the generation's context. */
export function nodeContext(nodeId: string, entry: FigmaNodeEntry): FigmaNodeContext {
  const node = entry.document;
  const properties: FigmaProperty[] = Object.entries(node.componentPropertyDefinitions ?? {}).map(([key, def]) => ({
    // TEXT, BOOLEAN and INSTANCE_SWAP keys carry a `#id` suffix; VARIANT keys are the plain name.
    name: key.replace(/#[^#]*$/, ''),
    type: def.type,
    default: def.defaultValue,
    options: def.variantOptions ?? [],
  }));
  const variants: FigmaVariantContext[] =
    node.type === 'COMPONENT_SET'
      ? (node.children ?? [])
          .filter((c) => c.type === 'COMPONENT')
          .map((c) => ({ name: c.name, values: variantValues(c.name), shape: shapeOf(c) }))
      : [];
  const defaults = properties.filter((p) => p.type === 'VARIANT');
  const base = variants.find((v) => defaults.every((p) => v.values[p.name] === p.default)) ?? variants[0] ?? undefined;
  const bound = new Set<string>();
  collectBound(node, bound);
  return {
    nodeId,
    name: node.name,
    type: node.type,
    shape: base ? base.shape : shapeOf(node),
    properties,
    variants,
    boundVariables: [...bound],
  };
}
