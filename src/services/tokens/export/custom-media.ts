// Media-query tokens (Primer's `$type: "custom-viewportRange"`) are not values a custom property can
// be used for: `@media (var(--x))` is not CSS. CSS writes them as `@custom-media --name (query);` rules,
// as Primer's build does (its `css/customMedia` format, dist/css/functional/size/viewport.css);
// SCSS and Less as strings their `@media` can interpolate. References inside a query are always
// resolved: a media query cannot hold `var()`.
import { effectiveType } from '../aliases.ts';
import type { Token, TokenMap } from '../token.types.ts';
import { type CssContext, cssValue } from './css-values.ts';

/** `$type`s whose values are media queries. */
const MEDIA_TYPES: ReadonlySet<string> = new Set(['custom-viewportRange']);

/** The paths of the media-query tokens among `tokens`. */
export function mediaQueryPaths(tokens: TokenMap, lookup: CssContext['lookup']): Set<string> {
  const paths = new Set<string>();
  for (const [path, token] of tokens) {
    const type = effectiveType(token, lookup);
    if (type !== undefined && MEDIA_TYPES.has(type)) paths.add(path);
  }
  return paths;
}

/** The query text, references resolved. */
export const mediaQuery = (token: Token, ctx: CssContext) =>
  String(cssValue(token, { lookup: ctx.lookup, remBase: ctx.remBase }));

/** The value SCSS or Less gets for a query: a string `@media #{$x}` (SCSS) or `@media @x` (Less) takes. */
export function mediaQueryVariable(format: 'scss' | 'less', query: string): string {
  return format === 'scss' ? JSON.stringify(query) : `~${JSON.stringify(query)}`;
}

/** `@custom-media` rules, one a line, in the order given. */
export const customMediaRules = (rules: { name: string; query: string }[]) =>
  rules.map(({ name, query }) => `@custom-media --${name} ${query};`).join('\n');
