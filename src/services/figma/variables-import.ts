// Figma variables (`GET /v1/files/:key/variables/local`) → a DTCG document the token import reads.
// A collection is a group, a variable's `/`-separated name the path below it; the collection's
// default mode gives `$value` and each other mode becomes that mode's value (tokens/modes.ts, by mode
// name); VARIABLE_ALIAS values stay aliases (`{group.name}`), in every mode. Each token remembers its variable (`com.figma`) so nodes that bind a
// variable find the token again.
import type { Token, TokenProblem } from '../tokens/token.types.ts';
import { FORBIDDEN_KEYS } from '../tokens/validate.ts';
import type {
  FigmaColor,
  FigmaLocalVariables,
  FigmaVariable,
  FigmaVariableCollection,
  VariableValue,
} from './figma.types.ts';

/** Where a token keeps the Figma variable it came from. */
export const FIGMA_EXTENSION = 'com.figma';

export interface FigmaTokenOrigin {
  /** The file the variable lives in: a re-import of it removes the tokens whose variable left (figma.service.ts). */
  fileKey: string;
  variableId: string;
  variableKey: string;
  collectionId: string;
  collection: string;
  resolvedType: FigmaVariable['resolvedType'];
  scopes: string[];
}

/** Scopes that make a FLOAT a size (written `<n>px`); anything else is a plain number. */
const SIZE_SCOPES = new Set([
  'CORNER_RADIUS',
  'WIDTH_HEIGHT',
  'GAP',
  'STROKE_FLOAT',
  'EFFECT_FLOAT',
  'FONT_SIZE',
  'LINE_HEIGHT',
  'LETTER_SPACING',
  'PARAGRAPH_SPACING',
  'PARAGRAPH_INDENT',
]);
/** FLOATs scoped everywhere (Figma's default) are sizes unless their name says otherwise. */
const UNITLESS_NAME = /(opacity|weight|z-?index|ratio|scale|duration|columns|count)/i;

const hex2 = (n: number) =>
  Math.round(Math.min(1, Math.max(0, n)) * 255)
    .toString(16)
    .padStart(2, '0');

/** A Figma colour (floats 0–1) as `#rrggbb`, or `#rrggbbaa` when it is not opaque. */
export function figmaColorToHex({ r, g, b, a }: FigmaColor): string {
  return `#${hex2(r)}${hex2(g)}${hex2(b)}${a < 1 ? hex2(a) : ''}`;
}

/** One path segment from a Figma name: lower case, spaces to `-`, no `.`, braces or leading `$`. */
export function segment(name: string): string {
  return name.trim().replace(/[.{}]/g, '-').replace(/\s+/g, '-').replace(/^\$+/, '').toLowerCase() || '_';
}

/** The token path of a variable: its collection, then each part of its name. */
export function variablePath(collection: FigmaVariableCollection, variable: FigmaVariable): string {
  return [collection.name, ...variable.name.split('/')].map(segment).join('.');
}

function isFloatSize(variable: FigmaVariable): boolean {
  if (variable.scopes.some((s) => SIZE_SCOPES.has(s))) return true;
  return variable.scopes.includes('ALL_SCOPES') && !UNITLESS_NAME.test(variable.name);
}

/** The DTCG type of a variable. */
function dtcgType(variable: FigmaVariable): string | undefined {
  if (variable.resolvedType === 'COLOR') return 'color';
  if (variable.resolvedType === 'FLOAT') {
    if (variable.scopes.includes('FONT_WEIGHT')) return 'fontWeight';
    return isFloatSize(variable) ? 'dimension' : 'number';
  }
  if (variable.resolvedType === 'STRING' && variable.scopes.includes('FONT_FAMILY')) return 'fontFamily';
  // STRING and BOOLEAN have no DTCG type: kept untyped, as values.
  return undefined;
}

const isAlias = (v: VariableValue): v is { type: 'VARIABLE_ALIAS'; id: string } =>
  typeof v === 'object' && v !== null && (v as { type?: unknown }).type === 'VARIABLE_ALIAS';

export interface ConvertedVariables {
  /** Flat path → token in its collection's default mode. */
  tokens: Map<string, Token>;
  /** Mode name → path → the token in that mode (only tokens whose collection has the mode). */
  modeTokens: Map<string, Map<string, Token>>;
  /** Mode names per collection group, default first. */
  modes: Record<string, string[]>;
  /** Variables left out, and why. */
  warnings: TokenProblem[];
}

/** Converts Figma's variables into tokens, per mode. */
export function convertVariables(response: FigmaLocalVariables, fileKey: string): ConvertedVariables {
  const { variables, variableCollections } = response.meta;
  const paths = new Map<string, string>();
  const warnings: TokenProblem[] = [];
  const modes: Record<string, string[]> = {};
  const forbidden = new Set<string>();
  for (const variable of Object.values(variables)) {
    const collection = variableCollections[variable.variableCollectionId];
    if (!collection || variable.remote) continue;
    const path = variablePath(collection, variable);
    // Names are anyone's who may edit the file: a `__proto__` group would reach Object.prototype
    // when the document is built (and the token import refuses such keys anyway).
    const bad = path.split('.').find((part) => FORBIDDEN_KEYS.has(part));
    if (bad === undefined) {
      paths.set(variable.id, path);
      continue;
    }
    forbidden.add(variable.id);
    warnings.push({
      path,
      code: 'forbidden_key',
      message: `Figma variable "${variable.name}" (collection "${collection.name}") has "${bad}" in its path, which no token may; left out`,
    });
  }
  const tokens = new Map<string, Token>();
  const modeTokens = new Map<string, Map<string, Token>>();
  for (const variable of Object.values(variables)) {
    const path = paths.get(variable.id);
    const collection = variableCollections[variable.variableCollectionId];
    if (!path || !collection) continue;
    if (tokens.has(path)) {
      warnings.push({
        path,
        code: 'conflict',
        message: `Figma variable "${variable.name}" has the same path as another; left out`,
      });
      continue;
    }
    modes[segment(collection.name)] = [
      ...collection.modes.filter((m) => m.modeId === collection.defaultModeId),
      ...collection.modes.filter((m) => m.modeId !== collection.defaultModeId),
    ].map((m) => m.name);
    const type = dtcgType(variable);
    const value = (v: VariableValue | undefined): { ok: true; value: unknown } | { ok: false; why: string } => {
      if (v === undefined) return { ok: false, why: 'has no value in the default mode' };
      if (isAlias(v)) {
        const target = paths.get(v.id);
        if (target) return { ok: true, value: `{${target}}` };
        if (forbidden.has(v.id)) return { ok: false, why: `refers to ${v.id}, a variable left out for its name` };
        return {
          ok: false,
          why: `refers to ${v.id}, a variable of another file (publish it into this one to import it)`,
        };
      }
      if (variable.resolvedType === 'COLOR') return { ok: true, value: figmaColorToHex(v as FigmaColor) };
      if (type === 'dimension') return { ok: true, value: `${Number(v)}px` };
      return { ok: true, value: v };
    };
    const base = value(variable.valuesByMode[collection.defaultModeId]);
    if (!base.ok) {
      warnings.push({ path, code: 'broken_alias', message: `Figma variable "${variable.name}" ${base.why}; left out` });
      continue;
    }
    const origin: FigmaTokenOrigin = {
      fileKey,
      variableId: variable.id,
      variableKey: variable.key,
      collectionId: collection.id,
      collection: collection.name,
      resolvedType: variable.resolvedType,
      scopes: variable.scopes,
    };
    const token: Token = { $value: base.value, $extensions: { [FIGMA_EXTENSION]: origin } };
    if (type) token.$type = type;
    if (variable.description) token.$description = variable.description;
    tokens.set(path, token);
    for (const mode of collection.modes) {
      if (mode.modeId === collection.defaultModeId) continue;
      const v = value(variable.valuesByMode[mode.modeId]);
      if (!v.ok) {
        warnings.push({ path, code: 'broken_alias', message: `mode ${mode.name}: ${v.why}; that mode is left out` });
        continue;
      }
      const inMode = modeTokens.get(mode.name) ?? new Map<string, Token>();
      inMode.set(path, { ...token, $value: v.value });
      modeTokens.set(mode.name, inMode);
    }
  }
  return { tokens, modeTokens, modes, warnings };
}

/** The tokens as one DTCG document; a token that is also a group is written as the group's `$root`. */
export function toDtcgDocument(tokens: Map<string, Token>): Record<string, unknown> {
  const root: Record<string, unknown> = {};
  for (const [path, token] of tokens) {
    const parts = path.split('.');
    let group = root;
    for (const part of parts.slice(0, -1)) {
      // Own properties only: an inherited one (`constructor`) is no group of ours.
      let child = (Object.hasOwn(group, part) ? group[part] : undefined) as Record<string, unknown> | undefined;
      if (!child) group[part] = child = {};
      else if (Object.hasOwn(child, '$value')) group[part] = child = { $root: child };
      group = child;
    }
    const leaf = parts.at(-1) as string;
    const existing = (Object.hasOwn(group, leaf) ? group[leaf] : undefined) as Record<string, unknown> | undefined;
    if (existing) existing.$root = token;
    else group[leaf] = token;
  }
  return root;
}
