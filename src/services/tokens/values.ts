// Checks and conversions for DTCG values, shared by validation and export. Both DTCG 2025.10
// object values (`{colorSpace, components}`, `{value, unit}`) and older strings (`#fff`, `16px`).
import { colorStringToRgba, parseColorString } from './color-strings.ts';
import { isExpression } from './math.ts';

export interface Rgba {
  r: number;
  g: number;
  b: number;
  a: number;
}

export interface Measure {
  value: number;
  unit: string;
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  value !== null && typeof value === 'object' && !Array.isArray(value);
const isNumber = (value: unknown): value is number => typeof value === 'number' && Number.isFinite(value);

export { isRecord, isNumber };

const HEX = /^#([0-9a-f]{3}|[0-9a-f]{4}|[0-9a-f]{6}|[0-9a-f]{8})$/i;
const COLOR_SPACES = new Set([
  'srgb',
  'srgb-linear',
  'hsl',
  'hwb',
  'lab',
  'lch',
  'oklab',
  'oklch',
  'display-p3',
  'a98-rgb',
  'prophoto-rgb',
  'rec2020',
  'xyz-d65',
  'xyz-d50',
]);
const DIMENSION_UNITS = new Set(['px', 'rem', 'em', '%', 'vh', 'vw', 'vmin', 'vmax', 'pt', 'dp', 'sp', 'ch', 'ex']);
const DURATION_UNITS = new Set(['ms', 's']);
const FONT_WEIGHT_KEYWORDS = new Map<string, number>([
  ['thin', 100],
  ['hairline', 100],
  ['extra-light', 200],
  ['ultra-light', 200],
  ['light', 300],
  ['normal', 400],
  ['regular', 400],
  ['book', 400],
  ['medium', 500],
  ['semi-bold', 600],
  ['demi-bold', 600],
  ['bold', 700],
  ['extra-bold', 800],
  ['ultra-bold', 800],
  ['black', 900],
  ['heavy', 900],
  ['extra-black', 950],
  ['ultra-black', 950],
]);
const STROKE_STYLES = new Set(['solid', 'dashed', 'dotted', 'double', 'groove', 'ridge', 'outset', 'inset']);

/** A DTCG font-weight keyword as a number (`semi-bold` → 600); accepts `semibold`/`Semi Bold` too. */
export function fontWeightNumber(value: string): number | undefined {
  const key = value
    .trim()
    .toLowerCase()
    .replace(/[\s_]+/g, '-');
  return FONT_WEIGHT_KEYWORDS.get(key) ?? FONT_WEIGHT_KEYWORDS.get(key.replace(/^(semi|demi|extra|ultra)-?/, '$1-'));
}

/** Parses `16px`, `-0.5rem`, `0` (unitless zero), or `{value, unit}`. */
export function parseMeasure(value: unknown, units: Set<string>): Measure | undefined {
  if (isRecord(value)) {
    return isNumber(value.value) && typeof value.unit === 'string' && units.has(value.unit)
      ? { value: value.value, unit: value.unit }
      : undefined;
  }
  if (value === 0 || value === '0') return { value: 0, unit: '' };
  if (typeof value !== 'string') return undefined;
  const match = /^(-?(?:\d+\.?\d*|\.\d+))([a-z%]+)$/i.exec(value.trim());
  if (!match || !units.has(match[2]!.toLowerCase())) return undefined;
  return { value: Number(match[1]), unit: match[2]!.toLowerCase() };
}

export const parseDimension = (value: unknown) => parseMeasure(value, DIMENSION_UNITS);
export const parseDuration = (value: unknown) => parseMeasure(value, DURATION_UNITS);

function hexToRgba(hex: string): Rgba {
  let digits = hex.slice(1);
  if (digits.length <= 4) digits = [...digits].map((c) => c + c).join('');
  const channel = (i: number) => parseInt(digits.slice(i, i + 2), 16) / 255;
  return { r: channel(0), g: channel(2), b: channel(4), a: digits.length === 8 ? channel(6) : 1 };
}

function hslToRgb(h: number, s: number, l: number): [number, number, number] {
  const sat = s / 100;
  const light = l / 100;
  const f = (n: number) => {
    const k = (n + h / 30) % 12;
    return light - sat * Math.min(light, 1 - light) * Math.max(-1, Math.min(k - 3, 9 - k, 1));
  };
  return [f(0), f(8), f(4)];
}

/**
 * Parses a color into sRGB channels (0–1) when it is in sRGB, HSL or HWB (or carries a `hex`).
 * Colors in wider spaces (display-p3, oklch…) return undefined: callers write them as CSS functions
 * rather than clamp them to hex.
 */
export function parseColor(value: unknown): Rgba | undefined {
  if (typeof value === 'string') {
    const text = value.trim();
    if (HEX.test(text)) return hexToRgba(text);
    return colorStringToRgba(text);
  }
  if (!isRecord(value) || !Array.isArray(value.components)) return undefined;
  const alpha = isNumber(value.alpha) ? value.alpha : 1;
  const [c0, c1, c2] = value.components.map((c) => (isNumber(c) ? c : 0)) as [number, number, number];
  switch (value.colorSpace) {
    case 'srgb':
      return { r: c0, g: c1, b: c2, a: alpha };
    case 'hsl': {
      if (typeof value.hex === 'string' && HEX.test(value.hex)) return { ...hexToRgba(value.hex), a: alpha };
      const [r, g, b] = hslToRgb(c0, c1, c2);
      return { r, g, b, a: alpha };
    }
    case 'hwb': {
      if (typeof value.hex === 'string' && HEX.test(value.hex)) return { ...hexToRgba(value.hex), a: alpha };
      const [r, g, b] = hslToRgb(c0, 100, 50).map((c) => c * (1 - c1 / 100 - c2 / 100) + c1 / 100) as [
        number,
        number,
        number,
      ];
      return { r, g, b, a: alpha };
    }
    default:
      return undefined;
  }
}

const byte = (channel: number) =>
  Math.round(Math.min(1, Math.max(0, channel)) * 255)
    .toString(16)
    .padStart(2, '0');

/** `#rrggbb`, or `#rrggbbaa` when the color is not opaque. */
export function rgbaToHex({ r, g, b, a }: Rgba): string {
  return `#${byte(r)}${byte(g)}${byte(b)}${a < 1 ? byte(a) : ''}`;
}

/** A color as CSS: hex for sRGB-compatible colors, a CSS color function for wide-gamut ones. */
export function colorToCss(value: unknown, alphaOverride?: number): string {
  const rgba = parseColor(value);
  if (rgba) return rgbaToHex(alphaOverride === undefined ? rgba : { ...rgba, a: alphaOverride });
  if (typeof value === 'string') return value;
  if (isRecord(value) && Array.isArray(value.components)) {
    const alpha = alphaOverride ?? (isNumber(value.alpha) ? value.alpha : 1);
    const parts = value.components.map(String).join(' ');
    const suffix = alpha < 1 ? ` / ${alpha}` : '';
    const space = String(value.colorSpace);
    return ['lab', 'lch', 'oklab', 'oklch'].includes(space)
      ? `${space}(${parts}${suffix})`
      : `color(${space} ${parts}${suffix})`;
  }
  return String(value);
}

/** Validity checks per DTCG type; each returns an error message or undefined. */
type Check = (value: unknown) => string | undefined;

// Sub-values of composites may be aliases, hold references (`rgba({blue}, 0.5)`) or be Tokens
// Studio maths: those are checked by the alias pass and by evaluating the token instead.
const orAlias =
  (check: Check): Check =>
  (value) =>
    typeof value === 'string' && (/\{[^{}]+\}/.test(value) || isExpression(value)) ? undefined : check(value);

const checkColor: Check = (value) => {
  if (typeof value === 'string') {
    const parsed = parseColorString(value);
    return parsed.ok ? undefined : parsed.error;
  }
  if (!isRecord(value)) return 'a color must be a string or {colorSpace, components}';
  if (typeof value.colorSpace !== 'string' || !COLOR_SPACES.has(value.colorSpace))
    return `unknown colorSpace ${JSON.stringify(value.colorSpace)}`;
  if (
    !Array.isArray(value.components) ||
    value.components.length !== 3 ||
    !value.components.every((c) => isNumber(c) || c === 'none')
  ) {
    return 'components must be three numbers';
  }
  if (value.alpha !== undefined && !(isNumber(value.alpha) && value.alpha >= 0 && value.alpha <= 1))
    return 'alpha must be a number from 0 to 1';
  if (value.hex !== undefined && !(typeof value.hex === 'string' && /^#[0-9a-f]{6}$/i.test(value.hex)))
    return 'hex must be #rrggbb';
  return undefined;
};
const checkDimension: Check = (value) =>
  parseDimension(value)
    ? undefined
    : `${JSON.stringify(value)} is not a dimension (e.g. {"value": 16, "unit": "px"} or "16px")`;
const checkDuration: Check = (value) =>
  parseDuration(value)
    ? undefined
    : `${JSON.stringify(value)} is not a duration (e.g. {"value": 200, "unit": "ms"} or "200ms")`;
const checkNumber: Check = (value) =>
  isNumber(value) || (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value)))
    ? undefined
    : `${JSON.stringify(value)} is not a number`;
const checkFontWeight: Check = (value) =>
  (isNumber(value) && value >= 1 && value <= 1000) ||
  (typeof value === 'string' && fontWeightNumber(value) !== undefined)
    ? undefined
    : `${JSON.stringify(value)} is not a font weight (1–1000 or a keyword such as "bold")`;
const checkFontFamily: Check = (value) =>
  (typeof value === 'string' && value.trim() !== '') ||
  (Array.isArray(value) && value.length > 0 && value.every((v) => typeof v === 'string'))
    ? undefined
    : 'a font family must be a string or an array of strings';
const checkCubicBezier: Check = (value) =>
  Array.isArray(value) &&
  value.length === 4 &&
  value.every(isNumber) &&
  [value[0] as number, value[2] as number].every((x) => x >= 0 && x <= 1)
    ? undefined
    : 'a cubic Bézier must be [x1, y1, x2, y2] with x1 and x2 in 0–1';
const checkStrokeStyle: Check = (value) => {
  if (typeof value === 'string') return STROKE_STYLES.has(value) ? undefined : `"${value}" is not a stroke style`;
  if (isRecord(value) && Array.isArray(value.dashArray) && typeof value.lineCap === 'string') {
    return value.dashArray.every((d) => orAlias(checkDimension)(d) === undefined)
      ? undefined
      : 'dashArray must hold dimensions';
  }
  return 'a stroke style must be a keyword or {dashArray, lineCap}';
};

/** Checks named fields of a composite; `required` fields must be present. */
function checkFields(value: unknown, fields: Record<string, Check>, required: string[]): string | undefined {
  if (!isRecord(value)) return 'must be an object';
  const missing = required.filter((field) => value[field] === undefined);
  if (missing.length > 0) return `missing ${missing.join(', ')}`;
  const errors: string[] = [];
  for (const [field, check] of Object.entries(fields)) {
    if (value[field] === undefined) continue;
    const error = orAlias(check)(value[field]);
    if (error) errors.push(`${field}: ${error}`);
  }
  return errors.length > 0 ? errors.join('; ') : undefined;
}

const checkShadowLayer: Check = (value) =>
  checkFields(
    value,
    {
      color: checkColor,
      offsetX: checkDimension,
      offsetY: checkDimension,
      blur: checkDimension,
      spread: checkDimension,
      inset: (v) => (typeof v === 'boolean' ? undefined : 'must be a boolean'),
      alpha: (v) => (isNumber(v) && v >= 0 && v <= 1 ? undefined : 'must be 0–1'),
    },
    ['color', 'offsetX', 'offsetY'],
  );

const CHECKS: Record<string, Check> = {
  color: checkColor,
  dimension: checkDimension,
  duration: checkDuration,
  number: checkNumber,
  fontWeight: checkFontWeight,
  fontFamily: checkFontFamily,
  cubicBezier: checkCubicBezier,
  strokeStyle: checkStrokeStyle,
  shadow: (value) => {
    const layers = Array.isArray(value) ? value : [value];
    if (layers.length === 0) return 'a shadow needs at least one layer';
    const errors = layers.map((layer, i) => {
      const error = orAlias(checkShadowLayer)(layer);
      return error && (Array.isArray(value) ? `[${i}] ${error}` : error);
    });
    return errors.filter(Boolean).join('; ') || undefined;
  },
  typography: (value) =>
    checkFields(
      value,
      {
        fontFamily: checkFontFamily,
        fontSize: checkDimension,
        fontWeight: checkFontWeight,
        letterSpacing: checkDimension,
        lineHeight: (v) =>
          checkNumber(v) === undefined || checkDimension(v) === undefined ? undefined : 'must be a number',
      },
      ['fontFamily', 'fontSize'],
    ),
  border: (value) =>
    checkFields(value, { color: checkColor, width: checkDimension, style: checkStrokeStyle }, [
      'color',
      'width',
      'style',
    ]),
  transition: (value) =>
    checkFields(value, { duration: checkDuration, delay: checkDuration, timingFunction: checkCubicBezier }, [
      'duration',
      'timingFunction',
    ]),
  gradient: (value) => {
    if (!Array.isArray(value) || value.length === 0) return 'a gradient must be an array of stops';
    const errors = value.map((stop, i) => {
      const error = orAlias((s) =>
        checkFields(
          s,
          { color: checkColor, position: (p) => (isNumber(p) && p >= 0 && p <= 1 ? undefined : 'must be 0–1') },
          ['color', 'position'],
        ),
      )(stop);
      return error && `[${i}] ${error}`;
    });
    return errors.filter(Boolean).join('; ') || undefined;
  },
};

/** The DTCG types, which values are checked against. */
export const KNOWN_TYPES: ReadonlySet<string> = new Set(Object.keys(CHECKS));

/** Checks a (non-alias) value against its DTCG type. Unknown or custom types are not checked. */
export function checkValue(type: string | undefined, value: unknown): string | undefined {
  const check = type ? CHECKS[type] : undefined;
  return check ? check(value) : undefined;
}
