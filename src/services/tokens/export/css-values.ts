// Token values as CSS text: hex colors (8 digits with alpha), `{value, unit}` as `16px`/`200ms`,
// and composites as the CSS shorthands designers write by hand. With a `reference` callback, aliases
// become `var(--name)` (or `$name`, `@name`) instead of resolved values.
import { aliasTarget, effectiveType, isAlias, referencesIn, replaceReferences, resolveAlias } from '../aliases.ts';
import { PROPS_EXTENSION, type Token, type TokenProblem } from '../token.types.ts';
import { ComputeError, computeColor, computeMath, isComputed } from './computed.ts';
import { colorToCss, fontWeightNumber, isNumber, isRecord, parseDimension, parseDuration } from '../values.ts';

export interface CssContext {
  lookup: (path: string) => Token | undefined;
  /** The reference to write for an alias target, or undefined to write the resolved value. */
  reference?: (path: string) => string | undefined;
  /** px → rem with this root size, for dimension tokens and font sizes. */
  remBase?: number;
}

/** Raised when a value cannot be written (an alias that does not resolve). */
export class TokenExportError extends Error {
  override name = 'TokenExportError';
}

/** Raised when tokens cannot be named on the platform asked for (two paths, one name). */
export class TokenNameError extends TokenExportError {
  override name = 'TokenNameError';
  readonly problems: TokenProblem[];

  constructor(problems: TokenProblem[]) {
    super(problems.map((p) => p.message).join('; '));
    this.problems = problems;
  }
}

const round = (n: number) => Math.round(n * 10_000) / 10_000;

/**
 * A token's own modifier: Primer's `alpha` sibling of `$value`. An alpha of 1 modifies nothing, as in
 * Primer's build: `overlay.borderColor` (`{borderColor.muted}`, alpha 1) keeps the 0.7 of the token it names.
 */
export function ownAlpha(token: Token): number | undefined {
  const props = token.$extensions?.[PROPS_EXTENSION];
  return isRecord(props) && isNumber(props.alpha) && props.alpha !== 1 ? props.alpha : undefined;
}

/**
 * A token's value after following its aliases, with the modifiers in force: every token on the chain
 * is the token its predecessor names, so its own alpha applies unless a nearer token sets one, and
 * a computed token on the way (Tokens Studio maths or colour modifiers) is evaluated there.
 */
export function resolveToken(
  token: Token,
  ctx: CssContext,
): { value: unknown; type: string | undefined; alpha: number | undefined } {
  const type = effectiveType(token, ctx.lookup);
  let alpha = ownAlpha(token);
  let current = token;
  const seen = new Set<Token>();
  for (;;) {
    const currentType = effectiveType(current, ctx.lookup) ?? type;
    if (isComputed(current, currentType)) return { value: compute(current, currentType, ctx), type, alpha };
    const target = aliasTarget(current.$value);
    if (target === undefined) return { value: current.$value, type, alpha };
    const next = ctx.lookup(target);
    if (!next || seen.has(next))
      throw new TokenExportError(`{${target}} cannot be resolved (${next ? 'cycle' : 'broken'})`);
    seen.add(next);
    alpha ??= ownAlpha(next);
    current = next;
  }
}

/** Evaluates a computed value (maths, colour modifiers) with references written as their plain values. */
function compute(token: Token, type: string | undefined, ctx: CssContext): string | number {
  const plain: CssContext = { lookup: ctx.lookup };
  const textOf = (path: string) => {
    const named = ctx.lookup(path);
    if (!named) throw new TokenExportError(`{${path}} cannot be resolved (broken: ${path})`);
    return String(cssValue(named, plain));
  };
  try {
    return type === 'color' ? computeColor(token, textOf) : computeMath(String(token.$value), type, textOf);
  } catch (err) {
    if (err instanceof ComputeError) throw new TokenExportError(err.message);
    throw err;
  }
}

/** The CSS text (or number) for a token. */
export function cssValue(token: Token, ctx: CssContext): string | number {
  const type = effectiveType(token, ctx.lookup);
  const alpha = ownAlpha(token);
  if (isComputed(token, type)) {
    const computed = compute(token, type, ctx);
    if (type === 'color') return alpha === undefined ? computed : colorToCss(computed, alpha);
    return format(computed, type, ctx, true);
  }
  if (alpha !== undefined && type === 'color') return colorToCss(resolveToken(token, ctx).value, alpha);
  return format(token.$value, type, ctx, true);
}

/** Follows an alias to its value and type; non-aliases come back unchanged. */
function resolve(value: unknown, ctx: CssContext, type?: string): { value: unknown; type: string | undefined } {
  const target = aliasTarget(value);
  if (target === undefined) return { value, type };
  const resolved = resolveAlias(target, ctx.lookup);
  if (!resolved.ok)
    throw new TokenExportError(`{${target}} cannot be resolved (${resolved.reason}: ${resolved.chain.join(' → ')})`);
  return { value: resolved.token.$value, type: effectiveType(ctx.lookup(target)!, ctx.lookup) ?? type };
}

function format(value: unknown, type: string | undefined, ctx: CssContext, top: boolean): string | number {
  if (isAlias(value)) {
    const target = aliasTarget(value)!;
    const reference = ctx.reference?.(target);
    if (reference) return reference;
    // Written as the target token itself is written, so a value reads the same with or without
    // outputReferences (`var(--x)` and x's own value agree).
    // The token named, not the end of its chain: its own alpha (and its own aliases) apply.
    const resolved = resolve(value, ctx, type);
    const named = ctx.lookup(target)!;
    if (effectiveType(named, ctx.lookup)) return cssValue(named, ctx);
    return format(resolved.value, resolved.type, ctx, top);
  }
  // Maths or `rgba({ref}, 0.4)` inside a composite (`fontSize: "{font.base} * 1.25"`).
  if (typeof value === 'string' && isComputed({ $value: value }, type))
    return format(compute({ $value: value }, type, ctx), type, ctx, top);
  if (typeof value === 'string' && referencesIn(value).length > 0) {
    return replaceReferences(
      value,
      (path) => ctx.reference?.(path) ?? String(format(`{${path}}`, undefined, ctx, true)),
    );
  }
  const sub = (v: unknown, t: string) => format(v, t, ctx, false);
  switch (type) {
    case 'color':
      return colorToCss(value);
    case 'dimension':
      return dimension(value, top ? ctx.remBase : undefined);
    case 'duration': {
      const d = parseDuration(value);
      return d ? `${d.value}${d.unit || 'ms'}` : String(value);
    }
    case 'number':
      return typeof value === 'string' && Number.isFinite(Number(value)) ? Number(value) : (value as number);
    case 'fontWeight':
      return typeof value === 'string' ? (fontWeightNumber(value) ?? value) : (value as number);
    case 'fontFamily':
      return Array.isArray(value) ? value.map(quoteFamily).join(', ') : String(value);
    case 'cubicBezier':
      return Array.isArray(value) ? `cubic-bezier(${value.join(', ')})` : String(value);
    case 'shadow':
      return (Array.isArray(value) ? value : [value]).map((layer) => shadowLayer(layer, ctx)).join(', ');
    case 'typography': {
      // CSS `font` shorthand: [weight] size[/line-height] family. letterSpacing has no place in it.
      if (!isRecord(value)) return String(value);
      const fontSize = format(value.fontSize, 'dimension', ctx, !isAlias(value.fontSize));
      const size = value.lineHeight === undefined ? `${fontSize}` : `${fontSize} / ${sub(value.lineHeight, 'number')}`;
      return [
        value.fontWeight === undefined ? '' : sub(value.fontWeight, 'fontWeight'),
        size,
        sub(value.fontFamily, 'fontFamily'),
      ]
        .filter((part) => part !== '')
        .join(' ');
    }
    case 'border':
      return isRecord(value)
        ? `${sub(value.width, 'dimension')} ${sub(value.style, 'strokeStyle')} ${sub(value.color, 'color')}`
        : String(value);
    case 'transition': {
      if (!isRecord(value)) return String(value);
      const parts = [sub(value.duration, 'duration'), sub(value.timingFunction, 'cubicBezier')];
      if (value.delay !== undefined && parseDuration(resolve(value.delay, ctx).value)?.value !== 0)
        parts.push(sub(value.delay, 'duration'));
      return parts.join(' ');
    }
    case 'strokeStyle':
      // CSS cannot express a dash pattern; `dashed` is the closest keyword.
      return typeof value === 'string' ? value : 'dashed';
    case 'gradient':
      return Array.isArray(value)
        ? `linear-gradient(${value.map((stop) => (isRecord(stop) ? `${sub(stop.color, 'color')} ${round(Number(resolve(stop.position, ctx).value) * 100)}%` : String(stop))).join(', ')})`
        : String(value);
    default:
      if (typeof value === 'string' || typeof value === 'number') return value;
      return JSON.stringify(value);
  }
}

/** `{value, unit}` or `16px` as CSS; zero stays a bare `0`; px → rem when a base is given. */
export function dimension(value: unknown, remBase?: number): string {
  const d = parseDimension(value);
  if (!d) return String(value);
  if (d.value === 0) return '0';
  if (remBase && d.unit === 'px') return `${round(d.value / remBase)}rem`;
  return `${d.value}${d.unit}`;
}

/** Font names with spaces are quoted; generic families and quoted names are left alone. */
function quoteFamily(name: unknown): string {
  const text = String(name);
  return /\s/.test(text) && !/^['"]/.test(text) ? `"${text}"` : text;
}

function shadowLayer(layer: unknown, ctx: CssContext): string {
  if (isAlias(layer)) return String(format(layer, 'shadow', ctx, false));
  if (!isRecord(layer)) return String(layer);
  const sub = (v: unknown, t: string) => format(v, t, ctx, false);
  // Primer puts an `alpha` beside the color of a layer; apply it to the resolved color.
  const color = isNumber(layer.alpha)
    ? colorToCss(layerColor(layer.color, ctx), layer.alpha)
    : sub(layer.color, 'color');
  const lengths = [layer.offsetX, layer.offsetY, layer.blur ?? 0, layer.spread ?? 0].map((v) => sub(v, 'dimension'));
  return [layer.inset === true ? 'inset' : '', ...lengths, color].filter((part) => part !== '').join(' ');
}

/** A shadow layer's colour before Primer's layer alpha: the named token's value, computed if it is. */
function layerColor(color: unknown, ctx: CssContext): unknown {
  const target = aliasTarget(color);
  const named = target === undefined ? undefined : ctx.lookup(target);
  if (target !== undefined && !named) throw new TokenExportError(`{${target}} cannot be resolved (broken: ${target})`);
  return named ? resolveToken(named, ctx).value : color;
}
