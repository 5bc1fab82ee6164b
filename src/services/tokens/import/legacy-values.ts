// Converts `{value, type}` tokens (Tokens Studio, legacy Style Dictionary, Adobe Spectrum) to DTCG
// types and value shapes. Aliases are left as they are: `{a.b}` means the same in all of them.
import { isAlias } from '../aliases.ts';
import { fontWeightNumber, isNumber, isRecord } from '../values.ts';

/** Tokens Studio, legacy Style Dictionary and Spectrum type names → DTCG types. */
const TYPE_MAP: Record<string, string> = {
  color: 'color',
  dimension: 'dimension',
  sizing: 'dimension',
  size: 'dimension',
  spacing: 'dimension',
  borderRadius: 'dimension',
  borderWidth: 'dimension',
  fontSizes: 'dimension',
  fontSize: 'dimension',
  'font-size': 'dimension',
  letterSpacing: 'dimension',
  paragraphSpacing: 'dimension',
  paragraphIndent: 'dimension',
  fontFamilies: 'fontFamily',
  fontFamily: 'fontFamily',
  'font-family': 'fontFamily',
  fontWeights: 'fontWeight',
  fontWeight: 'fontWeight',
  'font-weight': 'fontWeight',
  lineHeights: 'number',
  lineHeight: 'number',
  opacity: 'number',
  multiplier: 'number',
  number: 'number',
  'gradient-stop': 'number',
  angle: 'number',
  boxShadow: 'shadow',
  shadow: 'shadow',
  'drop-shadow': 'shadow',
  typography: 'typography',
  border: 'border',
  duration: 'duration',
  time: 'duration',
  cubicBezier: 'cubicBezier',
  transition: 'transition',
  strokeStyle: 'strokeStyle',
  gradient: 'gradient',
};

/** The DTCG type for a legacy type name; unknown names are kept as they are. */
export function dtcgType(type: string | undefined): string | undefined {
  if (!type) return undefined;
  return TYPE_MAP[type] ?? type;
}

const NUMERIC = /^-?(\d+\.?\d*|\.\d+)$/;

/** `16` or `"16"` → `"16px"` (Tokens Studio's unitless sizes are pixels). */
function toDimension(value: unknown): unknown {
  if (isNumber(value)) return value === 0 ? '0' : `${value}px`;
  if (typeof value === 'string' && NUMERIC.test(value.trim())) return value.trim() === '0' ? '0' : `${value.trim()}px`;
  return value;
}

function toNumber(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  const text = value.trim();
  if (NUMERIC.test(text)) return Number(text);
  if (/^-?[\d.]+%$/.test(text)) return Number(text.slice(0, -1)) / 100;
  return value;
}

/** Line heights: `150%` → 1.5, `24` → `24px`, numbers unchanged. */
function toLineHeight(value: unknown): unknown {
  if (typeof value === 'string' && /^-?[\d.]+%$/.test(value.trim())) return Number(value.trim().slice(0, -1)) / 100;
  if (typeof value === 'string' && NUMERIC.test(value.trim())) return Number(value.trim());
  return value;
}

function toFontWeight(value: unknown): unknown {
  if (typeof value === 'string' && NUMERIC.test(value.trim())) return Number(value.trim());
  if (typeof value === 'string' && !isAlias(value)) return fontWeightNumber(value) ?? value;
  return value;
}

/** `letterSpacing: "2%"` (Tokens Studio) → `0.02em`. */
function toLetterSpacing(value: unknown): unknown {
  if (typeof value === 'string' && /^-?[\d.]+%$/.test(value.trim()))
    return `${Number(value.trim().slice(0, -1)) / 100}em`;
  return toDimension(value);
}

function toShadowLayer(layer: unknown): unknown {
  if (!isRecord(layer)) return layer;
  const out: Record<string, unknown> = {
    color: layer.color,
    offsetX: toDimension(layer.offsetX ?? layer.x ?? 0),
    offsetY: toDimension(layer.offsetY ?? layer.y ?? 0),
    blur: toDimension(layer.blur ?? 0),
    spread: toDimension(layer.spread ?? 0),
  };
  if (layer.type === 'innerShadow' || layer.inset === true) out.inset = true;
  return out;
}

function toTypography(value: unknown): unknown {
  if (!isRecord(value)) return value;
  const out: Record<string, unknown> = {};
  if (value.fontFamily !== undefined) out.fontFamily = value.fontFamily;
  if (value.fontSize !== undefined) out.fontSize = toDimension(value.fontSize);
  if (value.fontWeight !== undefined) out.fontWeight = toFontWeight(value.fontWeight);
  if (value.letterSpacing !== undefined) out.letterSpacing = toLetterSpacing(value.letterSpacing);
  if (value.lineHeight !== undefined) out.lineHeight = toLineHeight(value.lineHeight);
  return out;
}

/** A legacy value in the shape DTCG expects for `type` (already mapped with dtcgType). */
export function dtcgValue(type: string | undefined, value: unknown): unknown {
  if (isAlias(value)) return value;
  switch (type) {
    case 'dimension':
      return toDimension(value);
    case 'number':
      return toNumber(value);
    case 'fontWeight':
      return toFontWeight(value);
    case 'shadow':
      return Array.isArray(value) ? value.map(toShadowLayer) : toShadowLayer(value);
    case 'typography':
      return toTypography(value);
    case 'border':
      return isRecord(value) ? { ...value, width: toDimension(value.width) } : value;
    default:
      return value;
  }
}
