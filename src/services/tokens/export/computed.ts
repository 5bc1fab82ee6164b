// Values Tokens Studio computes rather than states: maths (`{spacing.base} * 2` → `8px`), colour
// modifiers (`$extensions["studio.tokens"].modify`: alpha, darken, lighten, mix in a colour space)
// and `rgba(#0969da, 0.4)` / `rgba({colors.blue}, 0.4)`. Modifiers follow Tokens Studio's own
// implementation (sd-transforms, on colorjs.io) so that results match the plugin's; results are
// written as sRGB hex like every other colour here.
import Color from 'colorjs.io';
import { aliasTarget, replaceReferences } from '../aliases.ts';
import { evaluate, formatQuantity, isExpression, MathError } from '../math.ts';
import type { Token } from '../token.types.ts';
import { colorToCss, isRecord } from '../values.ts';

export const STUDIO_EXTENSION = 'studio.tokens';
const STUDIO_RGBA = /^rgba\(\s*(#[0-9a-f]{3,8}|\{[^{}]+\})\s*,\s*([^,()]+?)\s*\)$/i;
const MATH_TYPES = new Set(['dimension', 'number', 'fontWeight', 'duration']);
const SPACES: Record<string, string> = { srgb: 'srgb', hsl: 'hsl', lch: 'lch', p3: 'p3' };

/** What a computed value needs from the export: a referenced token's value as plain text. */
export type TextOf = (path: string) => string;

/** Raised for a value that cannot be computed; the message says why. */
export class ComputeError extends Error {
  override name = 'ComputeError';
}

/** Whether the token's value is computed (so it must be evaluated, not written as it is). */
export function isComputed(token: Token, type: string | undefined): boolean {
  if (type === 'color')
    return (
      modifierOf(token) !== undefined || (typeof token.$value === 'string' && STUDIO_RGBA.test(token.$value.trim()))
    );
  return (
    MATH_TYPES.has(type ?? '') &&
    typeof token.$value === 'string' &&
    isExpression(replaceReferences(token.$value, () => '1'))
  );
}

function modifierOf(token: Token): Record<string, unknown> | undefined {
  const studio = token.$extensions?.[STUDIO_EXTENSION];
  return isRecord(studio) && isRecord(studio.modify) ? studio.modify : undefined;
}

/** Evaluates maths with references replaced by their values. `8px * 2` → `16px`; unitless sizes are px. */
export function computeMath(text: string, type: string | undefined, textOf: TextOf): string | number {
  const expanded = replaceReferences(text, textOf);
  try {
    const q = evaluate(expanded);
    if (type === 'dimension' && q.unit === '') return formatQuantity({ ...q, unit: 'px' });
    if (type !== 'dimension' && type !== 'duration' && q.unit === '') return Math.round(q.value * 10_000) / 10_000;
    return formatQuantity(q);
  } catch (err) {
    if (err instanceof MathError) throw new ComputeError(`"${text}" (${expanded}) cannot be evaluated: ${err.message}`);
    throw err;
  }
}

/** A number for a modifier's value: a number, a numeric string, maths, or a reference to one. */
function amount(value: unknown, textOf: TextOf): number {
  if (typeof value === 'number') return value;
  const text = String(value);
  const target = aliasTarget(text);
  const computed = computeMath(target === undefined ? text : textOf(target), 'number', textOf);
  const n = typeof computed === 'number' ? computed : Number.NaN;
  if (!Number.isFinite(n)) throw new ComputeError(`modifier value "${text}" is not a number`);
  return n;
}

function parse(text: string): Color {
  try {
    return new Color(text);
  } catch {
    throw new ComputeError(`"${text}" is not a color`);
  }
}

/** Lighten/darken as Tokens Studio does: move lightness (and, in LCH, chroma) by `by` of the way. */
function shift(color: Color, space: string, by: number, lighter: boolean): Color {
  const towards = (c: number, max: number) => (lighter ? Math.min(max, c + by * (max - c)) : Math.max(0, c - by * c));
  switch (space) {
    case 'lch': {
      const [l, c] = color.to('lch').coords.map(Number) as [number, number, number];
      const out = color.to('lch');
      out.set('l', towards(l, 100));
      out.set('c', Math.max(0, c - by * c));
      return out;
    }
    case 'hsl': {
      const out = color.to('hsl');
      out.set('l', towards(Number(out.coords[2]), 100));
      return out;
    }
    default: {
      const out = color.to(space);
      out.coords = out.coords.map((c) => towards(Number(c), 1)) as [number, number, number];
      return out;
    }
  }
}

/** The CSS text of a computed colour: its base colour, Tokens Studio `rgba()` alpha, and modifier. */
export function computeColor(token: Token, textOf: TextOf): string {
  const value = token.$value;
  let base: string;
  const rgba = typeof value === 'string' ? STUDIO_RGBA.exec(value.trim()) : null;
  if (rgba) {
    const inner = aliasTarget(rgba[1]!) === undefined ? rgba[1]! : textOf(aliasTarget(rgba[1]!)!);
    const color = parse(inner);
    color.alpha = Math.max(
      0,
      Math.min(1, amount(rgba[2]!.endsWith('%') ? parseFloat(rgba[2]!) / 100 : rgba[2], textOf)),
    );
    base = toHex(color);
  } else {
    const target = aliasTarget(value);
    base = target === undefined ? colorToCss(value) : textOf(target);
  }
  const modify = modifierOf(token);
  if (!modify) return base;
  const space = SPACES[String(modify.space ?? '')];
  // Without a space Tokens Studio leaves the colour as it is.
  if (!space) return base;
  let color = parse(base);
  const by = amount(modify.value, textOf);
  switch (modify.type) {
    case 'lighten':
    case 'darken':
      color = shift(color, space, by, modify.type === 'lighten');
      break;
    case 'mix': {
      if (modify.color === undefined) throw new ComputeError('a mix modifier needs a color');
      const other = aliasTarget(modify.color) === undefined ? String(modify.color) : textOf(aliasTarget(modify.color)!);
      color = parse(color.mix(parse(other), Math.max(0, Math.min(1, by)), { space }).toString({ precision: 3 }));
      break;
    }
    case 'alpha':
      color.alpha = Math.max(0, Math.min(1, by));
      break;
    default:
      throw new ComputeError(`unknown modifier type ${JSON.stringify(modify.type)} (alpha, darken, lighten or mix)`);
  }
  return toHex(color);
}

/** sRGB hex, gamut-mapped, with alpha when not opaque. */
function toHex(color: Color): string {
  // A powerless hue (`none`, as black and white have) counts as 0 when converting, as in CSS.
  const solid = color.clone();
  solid.coords = solid.coords.map((c) => (Number.isNaN(Number(c)) ? 0 : Number(c))) as [number, number, number];
  const srgb = solid.to('srgb').toGamut();
  const alpha = Number(srgb.alpha);
  const [r, g, b] = srgb.coords.map((c) => (Number.isNaN(Number(c)) ? 0 : Number(c))) as [number, number, number];
  return colorToCss({ colorSpace: 'srgb', components: [r, g, b], alpha: alpha < 1 ? alpha : undefined });
}
