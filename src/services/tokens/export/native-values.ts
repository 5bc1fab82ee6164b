// Values for native platforms: Swift literals (UIColor, CGFloat, TimeInterval) and Android
// resources (#AARRGGBB colors, dp dimensions). Composites fall back to their CSS text as a string.
// Colours: display-p3 stays P3 on iOS; everything else is sRGB (color-spaces.ts: the hex fallback,
// else gamut-mapped).
import { displayP3Channels, srgbChannels } from '../color-spaces.ts';
import type { Token } from '../token.types.ts';
import { parseDimension, parseDuration } from '../values.ts';
import { cssValue, resolveToken as resolved, type CssContext } from './css-values.ts';

const fixed = (n: number) => Number(n.toFixed(3)).toString();

const pixels = (value: unknown, remBase: number): number | undefined => {
  const d = parseDimension(value);
  if (!d || !['px', 'rem', 'dp', 'pt', ''].includes(d.unit)) return undefined;
  return d.unit === 'rem' ? d.value * remBase : d.value;
};

/** A Swift expression for the token. */
export function swiftValue(token: Token, ctx: CssContext): string {
  const { value, type, alpha } = resolved(token, ctx);
  const remBase = ctx.remBase ?? 16;
  if (type === 'color') {
    const p3 = displayP3Channels(value);
    if (p3)
      return `UIColor(displayP3Red: ${fixed(p3.r)}, green: ${fixed(p3.g)}, blue: ${fixed(p3.b)}, alpha: ${fixed(alpha ?? p3.a)})`;
    const c = srgbChannels(value);
    if (c)
      return `UIColor(red: ${fixed(c.r)}, green: ${fixed(c.g)}, blue: ${fixed(c.b)}, alpha: ${fixed(alpha ?? c.a)})`;
  }
  if (type === 'dimension') {
    const px = pixels(value, remBase);
    if (px !== undefined) return `CGFloat(${fixed(px)})`;
  }
  if (type === 'duration') {
    const d = parseDuration(value);
    if (d) return `TimeInterval(${fixed(d.unit === 's' ? d.value : d.value / 1000)})`;
  }
  const css = cssValue(token, { ...ctx, reference: undefined, remBase: undefined });
  return typeof css === 'number' ? String(css) : JSON.stringify(css);
}

const escapeXml = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** An Android resource: its element name and text. */
export function androidValue(
  token: Token,
  ctx: CssContext,
): { resource: 'color' | 'dimen' | 'integer' | 'string'; value: string } {
  const { value, type, alpha } = resolved(token, ctx);
  if (type === 'color') {
    const c = srgbChannels(value);
    if (c) {
      const hex = (n: number) =>
        Math.round(Math.min(1, Math.max(0, n)) * 255)
          .toString(16)
          .padStart(2, '0');
      return { resource: 'color', value: `#${hex(alpha ?? c.a)}${hex(c.r)}${hex(c.g)}${hex(c.b)}` };
    }
  }
  if (type === 'dimension') {
    const px = pixels(value, ctx.remBase ?? 16);
    if (px !== undefined) return { resource: 'dimen', value: `${fixed(px)}dp` };
  }
  if (type === 'duration') {
    const d = parseDuration(value);
    if (d) return { resource: 'integer', value: String(Math.round(d.unit === 's' ? d.value * 1000 : d.value)) };
  }
  const css = cssValue(token, { ...ctx, reference: undefined, remBase: undefined });
  if (typeof css === 'number' && Number.isInteger(css)) return { resource: 'integer', value: String(css) };
  return { resource: 'string', value: escapeXml(String(css)) };
}
