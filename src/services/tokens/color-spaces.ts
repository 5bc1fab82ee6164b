// Colours for platforms that cannot write every CSS colour space: iOS has display-p3 besides sRGB,
// Android's colour resources are sRGB. A DTCG 2025.10 colour ({colorSpace, components, alpha, hex}) or
// a CSS colour string is read with colorjs.io; where sRGB is needed, the token's `hex` fallback is
// used when it has one, else the colour is gamut-mapped with CSS Color 4's algorithm (chroma reduced
// in OKLCh until it fits, so the hue is kept), as browsers do.
import Color from 'colorjs.io';
import { parseColorString } from './color-strings.ts';
import { isNumber, isRecord, parseColor, type Rgba } from './values.ts';

/** DTCG colour space names where colorjs.io names the space otherwise. */
const COLORJS_SPACE: Record<string, string> = { 'display-p3': 'p3', 'a98-rgb': 'a98rgb', 'prophoto-rgb': 'prophoto' };
const HEX6 = /^#[0-9a-f]{6}$/i;

/** The colour as colorjs.io reads it (`none` components as colorjs.io's NaN), or undefined. */
function toColor(value: unknown): Color | undefined {
  if (typeof value === 'string') {
    const parsed = parseColorString(value);
    return parsed.ok ? parsed.color : undefined;
  }
  if (!isRecord(value) || typeof value.colorSpace !== 'string' || !Array.isArray(value.components)) return undefined;
  const coords = value.components.map((c) => (isNumber(c) ? c : Number.NaN)) as [number, number, number];
  try {
    return new Color(
      COLORJS_SPACE[value.colorSpace] ?? value.colorSpace,
      coords,
      isNumber(value.alpha) ? value.alpha : 1,
    );
  } catch {
    return undefined;
  }
}

const channels = (color: Color): Rgba => {
  const [r, g, b] = color.coords.map((c) => (Number.isNaN(Number(c)) ? 0 : Number(c))) as [number, number, number];
  return { r, g, b, a: Number(color.alpha) };
};

/** The display-p3 channels of a colour written in display-p3 (a DTCG object or `color(display-p3 …)`). */
export function displayP3Channels(value: unknown): Rgba | undefined {
  const color = toColor(value);
  return color?.space.id === 'p3' ? channels(color) : undefined;
}

/**
 * The colour in sRGB: sRGB-compatible values as they are, a DTCG colour's `hex` fallback when it has
 * one (with the colour's alpha), otherwise the colour gamut-mapped into sRGB.
 */
export function srgbChannels(value: unknown): Rgba | undefined {
  const plain = parseColor(value);
  if (plain) return plain;
  if (isRecord(value) && typeof value.hex === 'string' && HEX6.test(value.hex)) {
    const hex = parseColor(value.hex)!;
    return { ...hex, a: isNumber(value.alpha) ? value.alpha : 1 };
  }
  const color = toColor(value);
  return color ? channels(color.to('srgb').toGamut({ space: 'srgb', method: 'css' })) : undefined;
}
