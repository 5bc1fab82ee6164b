// Exports the token map to CSS, SCSS, Less, JS, TS, flat JSON, Swift and Android XML through
// Style Dictionary's in-memory API, or to nested DTCG. Values are written by our own formatters
// (css-values.ts, native-values.ts) so that composites, durations and references come out right;
// Style Dictionary lays out the files.
import StyleDictionary from 'style-dictionary';
import type { Format, TransformedToken } from 'style-dictionary/types';
import { AppError } from '../../../utils/errors.ts';
import { lookupIn, referencesIn } from '../aliases.ts';
import { listModes, type ModeFallbacks, modeView, themeOf } from '../modes.ts';
import {
  SET_EXTENSION,
  type ExportFormat,
  type GroupMap,
  type Token,
  type TokenMap,
  type TokenTheme,
} from '../token.types.ts';
import { FORMAT_PLATFORM, NAMERS, nameProblems } from '../name-collisions.ts';
import { cssValue, TokenExportError, TokenNameError, type CssContext } from './css-values.ts';
import { customMediaRules, mediaQuery, mediaQueryPaths, mediaQueryVariable } from './custom-media.ts';
import { toDtcg } from './dtcg.ts';
import { multiModeCss } from './multi-mode.ts';
import { androidValue, swiftValue } from './native-values.ts';

export { TokenExportError, TokenNameError } from './css-values.ts';

export interface ExportOptions {
  /** CSS selector for the variables (default `:root`). */
  selector?: string;
  /** Prepended to every name (`prefix-name`). */
  prefix?: string;
  /** Write aliases as references (`var(--x)`, `$x`, `@x`) in CSS, SCSS and Less. */
  outputReferences?: boolean;
  /** Convert px dimensions to rem with this root size (rem values are left alone). */
  remBase?: number;
  /** Only tokens of these sets (tokens without a set are always written). */
  sets?: string[];
  /** Tokens Studio themes, to pick sets by `theme`. */
  themes?: TokenTheme[];
  /** Only tokens of the sets this theme enables; also a mode's name (an alias of `mode`). */
  theme?: string;
  /** Write the values of this mode (aliases resolve within it); a Tokens Studio theme's name also picks its sets. */
  mode?: string;
  /** CSS only: the defaults on the selector, then a `[data-color-mode]` block per mode (multi-mode.ts). */
  modes?: string[] | 'all';
  /** Mode → the mode whose values it takes where it has none (modes.ts). */
  modeFallbacks?: ModeFallbacks;
  /** DTCG group declarations, written back by the `dtcg` format. */
  groups?: GroupMap;
}

export interface ExportResult {
  content: string;
  contentType: string;
  filename: string;
}

const FILES: Record<ExportFormat, { contentType: string; filename: string }> = {
  css: { contentType: 'text/css', filename: 'tokens.css' },
  scss: { contentType: 'text/x-scss', filename: '_tokens.scss' },
  less: { contentType: 'text/x-less', filename: 'tokens.less' },
  js: { contentType: 'text/javascript', filename: 'tokens.js' },
  ts: { contentType: 'application/typescript', filename: 'tokens.ts' },
  json: { contentType: 'application/json', filename: 'tokens.json' },
  dtcg: { contentType: 'application/json', filename: 'tokens.tokens.json' },
  'ios-swift': { contentType: 'text/x-swift', filename: 'DesignTokens.swift' },
  'android-xml': { contentType: 'application/xml', filename: 'tokens.xml' },
};

/** How each format writes references, and which Style Dictionary format lays it out. */
const PLATFORMS: Record<Exclude<ExportFormat, 'dtcg'>, { sdFormat: string; reference?: (name: string) => string }> = {
  css: { sdFormat: 'css/variables', reference: (name) => `var(--${name})` },
  scss: { sdFormat: 'scss/variables', reference: (name) => `$${name}` },
  less: { sdFormat: 'less/variables', reference: (name) => `@${name}` },
  js: { sdFormat: 'javascript/es6' },
  ts: { sdFormat: 'ensemble/typescript' },
  json: { sdFormat: 'json/flat' },
  'ios-swift': { sdFormat: 'ios-swift/class.swift' },
  'android-xml': { sdFormat: 'android/resources' },
};

/**
 * Writes `tokens` in `format`. Throws TokenNameError when two tokens get one name, TokenExportError for
 * aliases that do not resolve or an unknown theme.
 */
export async function exportTokens(
  tokens: TokenMap,
  format: ExportFormat,
  options: ExportOptions = {},
): Promise<ExportResult> {
  if (options.modes !== undefined && format === 'css') {
    const { modes: wanted, mode: _mode, theme: _theme, ...single } = options;
    const modes =
      wanted === 'all' ? listModes(tokens.values(), options.themes, options.modeFallbacks).map((m) => m.name) : wanted;
    for (const mode of modes) requireMode(tokens, mode, options.themes, options.modeFallbacks);
    const build = async (mode: string | undefined, outputReferences: boolean) =>
      (await exportTokens(tokens, 'css', { ...single, outputReferences, ...(mode === undefined ? {} : { mode }) }))
        .content;
    return { ...FILES.css, content: await multiModeCss(build, modes, options.outputReferences === true) };
  }
  const mode = options.mode ?? options.theme;
  if (mode !== undefined) requireMode(tokens, mode, options.themes, options.modeFallbacks);
  // Without a mode, DTCG keeps every mode's values; every other export writes one mode's view.
  const view = format === 'dtcg' && mode === undefined ? tokens : modeView(tokens, mode, options.modeFallbacks);
  const theme = mode === undefined ? undefined : themeOf(mode, options.themes);
  const selected = selectTokens(view, { ...options, theme: theme?.name });
  const file = FILES[format];
  if (format === 'dtcg') return { ...file, content: `${JSON.stringify(toDtcg(selected, options.groups), null, 2)}\n` };

  const platform = PLATFORMS[format];
  const lookup = lookupIn(view);
  const naming = FORMAT_PLATFORM[format];
  const nameOf = (path: string) => NAMERS[naming](path, options.prefix);
  const clashes = nameProblems(selected.keys(), naming, options.prefix ? { prefix: options.prefix } : {});
  if (clashes.length > 0) throw new TokenNameError(clashes);
  const ctx: CssContext = { lookup, remBase: options.remBase };
  // Media queries (custom-media.ts) are rules or strings, never custom properties to refer to.
  const media = mediaQueryPaths(selected, lookup);
  if (options.outputReferences && platform.reference) {
    // Only tokens in this file can be referenced; others are written resolved.
    ctx.reference = (path) => (selected.has(path) && !media.has(path) ? platform.reference!(nameOf(path)) : undefined);
  }

  // A flat dictionary keyed by position: paths that are prefixes of others cannot collide, and
  // the order (dependencies first when writing references) is what the file shows.
  const order = ctx.reference ? dependencyOrder(selected) : [...selected.keys()];
  const dictionary: Record<string, Record<string, unknown>> = {};
  const names = new Map<string, string>();
  const rules: { name: string; query: string }[] = [];
  order.forEach((path, i) => {
    const token = selected.get(path)!;
    const key = `t${i}`;
    names.set(key, nameOf(path));
    try {
      if (media.has(path) && format === 'css') rules.push({ name: nameOf(path), query: mediaQuery(token, ctx) });
      else if (media.has(path) && (format === 'scss' || format === 'less'))
        dictionary[key] = {
          $value: mediaQueryVariable(format, mediaQuery(token, ctx)),
          ...(token.$description ? { $description: token.$description } : {}),
        };
      else dictionary[key] = sdToken(token, format, ctx);
    } catch (err) {
      // Say which token: the reason alone (a broken reference, mixed units) does not.
      if (err instanceof TokenExportError && !(err instanceof TokenNameError))
        throw new TokenExportError(`${path}: ${err.message}`);
      throw err;
    }
  });

  const sd = new StyleDictionary({
    tokens: dictionary,
    log: { verbosity: 'silent', warnings: 'disabled' },
    hooks: {
      transforms: {
        'ensemble/name': {
          type: 'name',
          transform: (token: TransformedToken) => names.get(token.path[0]!) ?? token.name,
        },
      },
      formats: { 'ensemble/typescript': typescriptFormat },
    },
    platforms: {
      out: {
        transforms: ['ensemble/name'],
        files: [
          {
            destination: file.filename,
            format: platform.sdFormat,
            options: {
              showFileHeader: false,
              selector: options.selector ?? ':root',
              className: 'DesignTokens',
              resourceMap: { color: 'color', dimen: 'dimen', integer: 'integer', string: 'string' },
            },
          },
        ],
      },
    },
  });
  const [output] = await sd.formatPlatform('out');
  const content = String(output?.output ?? '');
  return { ...file, content: rules.length > 0 ? `${customMediaRules(rules)}\n\n${content}` : content };
}

/** The token as Style Dictionary sees it: an already-written value, so nothing is left to resolve. */
function sdToken(token: Token, format: ExportFormat, ctx: CssContext): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (format === 'ios-swift') out.$value = swiftValue(token, ctx);
  else if (format === 'android-xml') {
    const { resource, value } = androidValue(token, ctx);
    out.$value = value;
    out.$type = resource; // picks the element through resourceMap
  } else out.$value = cssValue(token, ctx);
  if (token.$description) out.$description = token.$description;
  return out;
}

/** Refuses a mode that no token has a value for and no Tokens Studio theme names, listing the known ones. */
export function requireMode(
  tokens: TokenMap,
  mode: string,
  themes?: TokenTheme[],
  fallbacks: ModeFallbacks = {},
): void {
  if (themeOf(mode, themes) || Object.hasOwn(fallbacks, mode)) return;
  for (const token of tokens.values()) if (token.modes && Object.hasOwn(token.modes, mode)) return;
  const modes = listModes(tokens.values(), themes, fallbacks).map((m) => m.name);
  throw new AppError('unknown_mode', `No mode "${mode}"; modes: ${modes.join(', ') || 'none'}`, { mode, modes });
}

/** Tokens of the chosen sets (by `sets` or `theme`), plus tokens that belong to no set. */
function selectTokens(tokens: TokenMap, options: ExportOptions): TokenMap {
  let sets = options.sets;
  if (options.theme !== undefined) {
    const theme = themeOf(options.theme, options.themes);
    if (!theme) throw new TokenExportError(`no theme "${options.theme}"`);
    // `source` sets only feed references; Tokens Studio does not write them out.
    sets = Object.entries(theme.selectedTokenSets)
      .filter(([, status]) => status === 'enabled')
      .map(([set]) => set);
  }
  if (!sets) return tokens;
  const wanted = new Set(sets);
  const selected: TokenMap = new Map();
  for (const [path, token] of tokens) {
    const set = token.$extensions?.[SET_EXTENSION];
    if (typeof set !== 'string' || wanted.has(set) || set.split('/').every((part) => wanted.has(part)))
      selected.set(path, token);
  }
  return selected;
}

/** Paths ordered so that every referenced token comes before the tokens referring to it (SCSS needs this). */
function dependencyOrder(tokens: TokenMap): string[] {
  const order: string[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (path: string) => {
    if (state.has(path)) return;
    state.set(path, 'visiting');
    for (const target of referencesIn(tokens.get(path)?.$value)) if (tokens.has(target)) visit(target);
    state.set(path, 'done');
    order.push(path);
  };
  for (const path of tokens.keys()) visit(path);
  return order;
}

/** An ES module with a typed constant per token and a name → path index. */
const typescriptFormat: Format['format'] = ({ dictionary }) => {
  const lines = dictionary.allTokens.map((token) => {
    const value = token.$value as unknown;
    const type = typeof value === 'number' ? 'number' : 'string';
    const doc = token.$description ? `/** ${String(token.$description).replace(/\*\//g, '* /')} */\n` : '';
    return `${doc}export const ${token.name}: ${type} = ${JSON.stringify(value)};`;
  });
  const index = dictionary.allTokens.map((token) => `  ${token.name},`).join('\n');
  return `${lines.join('\n')}\n\nexport const tokens = {\n${index}\n} as const;\n\nexport type TokenName = keyof typeof tokens;\n`;
};
