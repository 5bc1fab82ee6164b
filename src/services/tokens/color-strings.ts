// CSS colour strings, parsed strictly by colorjs.io (the library Tokens Studio uses) with the ranges
// CSS would silently clamp refused instead: `"nope"`, `rgb(1,2)`, `hsl(400deg,300%,2)` are errors.
import Color from 'colorjs.io';
import type { Rgba } from './values.ts';

const HEX = /^#([0-9a-f]{3}|[0-9a-f]{4}|[0-9a-f]{6}|[0-9a-f]{8})$/i;
/** Spaces whose colours fit sRGB channels without gamut mapping. */
const SRGB_SPACES = new Set(['srgb', 'hsl', 'hwb']);
const EPSILON = 1e-9;

type Parsed = { ok: true; color: Color } | { ok: false; error: string };

/** Parses a CSS colour string, or says why it is not one. */
export function parseColorString(text: string): Parsed {
  const value = text.trim();
  if (!HEX.test(value) && !/^[a-z]+$/i.test(value) && !/^[a-z][a-z0-9-]*\(.*\)$/is.test(value)) {
    return { ok: false, error: `"${value}" is not a color (a hex, a CSS color name or a CSS color function)` };
  }
  let color: Color;
  try {
    color = new Color(value);
  } catch (err) {
    const reason = (err as Error).message;
    // colorjs.io's own wording for a wrong argument count is a TypeError about `none`.
    const why = /Could not parse|Cannot parse/.test(reason)
      ? 'unknown color name or function'
      : /none/.test(reason)
        ? 'wrong number of components'
        : reason;
    return { ok: false, error: `"${value}" is not a color (${why})` };
  }
  const range = rangeError(color, value);
  return range ? { ok: false, error: `"${value}" is not a color (${range})` } : { ok: true, color };
}

function rangeError(color: Color, text: string): string | undefined {
  const coords = color.coords.map(Number);
  // colorjs.io clamps alpha, so the alpha as written is read here.
  const alpha = writtenAlpha(text) ?? Number(color.alpha);
  if (!(alpha >= -EPSILON && alpha <= 1 + EPSILON)) return 'alpha must be 0–1 or 0%–100%';
  const fn = /^([a-z]+)\(/i.exec(text)?.[1]?.toLowerCase();
  if ((fn === 'rgb' || fn === 'rgba') && !coords.every((c) => Number.isNaN(c) || (c >= -EPSILON && c <= 1 + EPSILON))) {
    return 'red, green and blue must be 0–255 or 0%–100%';
  }
  if (
    (fn === 'hsl' || fn === 'hsla' || fn === 'hwb') &&
    ![coords[1], coords[2]].every((c) => c === undefined || Number.isNaN(c) || (c >= 0 && c <= 100))
  ) {
    return fn === 'hwb' ? 'whiteness and blackness must be 0%–100%' : 'saturation and lightness must be 0%–100%';
  }
  return undefined;
}

/** The alpha of a colour function as written: after `/`, or the fourth of comma-separated arguments. */
function writtenAlpha(text: string): number | undefined {
  const args = /\((.*)\)$/s.exec(text)?.[1];
  if (args === undefined) return undefined;
  const raw = args.includes('/')
    ? args.slice(args.lastIndexOf('/') + 1)
    : args.split(',').length === 4
      ? args.split(',')[3]
      : undefined;
  if (raw === undefined) return undefined;
  const trimmed = raw.trim();
  return trimmed.endsWith('%') ? parseFloat(trimmed) / 100 : Number(trimmed);
}

/** A colour string's sRGB channels when it is in an sRGB-compatible space (hex, names, rgb, hsl, hwb). */
export function colorStringToRgba(text: string): Rgba | undefined {
  const parsed = parseColorString(text);
  if (!parsed.ok || !SRGB_SPACES.has(parsed.color.space.id)) return undefined;
  const [r, g, b] = parsed.color.to('srgb').coords.map((c) => (Number.isNaN(Number(c)) ? 0 : Number(c))) as [
    number,
    number,
    number,
  ];
  return { r, g, b, a: Number(parsed.color.alpha) };
}
