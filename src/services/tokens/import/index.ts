// Imports uploaded token files (DTCG, Tokens Studio or legacy Style Dictionary, as JSON or JSON5)
// into the canonical token map, and reports every problem found along the way.
import type { GroupMap, ImportFormat, TokenMap, TokenProblem, TokenTheme } from '../token.types.ts';
import { NAMERS, nameProblems, type NamingPlatform } from '../name-collisions.ts';
import { unknownTypes, validateTokens } from '../validate.ts';
import { isRecord } from '../values.ts';
import { readDtcg } from './dtcg.ts';
import { applyExtends } from './extends.ts';
import { locateProblems } from './locate.ts';
import { mergeModeTokens } from './mode-files.ts';
import type { Origins } from './origins.ts';
import { parseFiles, type ParsedFile, type TokenFile } from './parse.ts';
import { readStyleDictionary } from './style-dictionary.ts';
import { isTokensStudio, readTokensStudio } from './tokens-studio.ts';

export type { TokenFile } from './parse.ts';

export interface ImportOptions {
  format?: ImportFormat;
  /** Tokens Studio set names, or Spectrum set names such as ['light', 'desktop']. */
  sets?: string[];
  /** Tokens Studio theme name (or id): only its enabled and source sets are used. */
  theme?: string;
  /** Tokens already stored, which aliases may point at. */
  existing?: TokenMap;
  /** The mode of files that do not name their own: their values become that mode's. */
  mode?: string;
}

export interface ImportResult {
  format: ImportFormat;
  tokens: TokenMap;
  themes: TokenTheme[];
  /** DTCG group declarations (empty for other formats). */
  groups: GroupMap;
  problems: TokenProblem[];
  /** What was accepted but deserves a look: names that collide on some platforms (that export is refused). */
  warnings: TokenProblem[];
}

/**
 * Parses, converts and validates token files; later files override earlier ones. Files of a mode
 * (their own `mode`, or the options') are read after the default ones, as values of that mode.
 */
export function importTokenFiles(files: TokenFile[], options: ImportOptions = {}): ImportResult {
  const byMode = new Map<string, TokenFile[]>();
  const defaults: TokenFile[] = [];
  for (const file of files) {
    const mode = file.mode ?? options.mode;
    if (mode === undefined) defaults.push(file);
    else byMode.set(mode, [...(byMode.get(mode) ?? []), file]);
  }
  const { mode: _mode, ...rest } = options;
  if (byMode.size === 0) return keepStoredModes(importDefaults(files, rest), options.existing);
  const result: ImportResult = defaults.length
    ? keepStoredModes(importDefaults(defaults, rest), options.existing)
    : {
        format: options.format ?? 'dtcg',
        tokens: new Map(),
        themes: [],
        groups: new Map(),
        problems: [],
        warnings: [],
      };
  const known: TokenMap = new Map([...(options.existing ?? []), ...result.tokens]);
  for (const [mode, modeFiles] of byMode) {
    // Validated on their own, aliases resolving among the default tokens; then kept as the mode's values.
    const modeResult = importDefaults(modeFiles, { ...rest, existing: known });
    result.problems.push(...modeResult.problems);
    result.warnings.push(...modeResult.warnings.filter((w) => w.code !== 'name_collision'));
    const merged = mergeModeTokens(result.tokens, options.existing, mode, modeResult.tokens);
    locateProblems(merged, modeFiles, new Map());
    result.problems.push(...merged);
  }
  if (result.problems.length === 0) {
    // The defaults were checked; the tokens that got modes are checked again, with their modes.
    const withModes: TokenMap = new Map([...result.tokens].filter(([, token]) => token.modes));
    const others: TokenMap = new Map([...(options.existing ?? []), ...result.tokens]);
    for (const path of withModes.keys()) others.delete(path);
    result.problems.push(...validateTokens(withModes, others));
  }
  return result;
}

/**
 * Default files that say nothing of modes leave the stored mode values alone: importing the light
 * sources again must not drop the dark values a mode file gave. A token that declares modes
 * (Primer's overrides, a Tokens Studio theme) replaces them.
 */
function keepStoredModes(result: ImportResult, existing: TokenMap | undefined): ImportResult {
  if (!existing) return result;
  for (const [path, token] of result.tokens) {
    const stored = existing.get(path)?.modes;
    if (stored && token.modes === undefined) result.tokens.set(path, { ...token, modes: stored });
  }
  return result;
}

function importDefaults(files: TokenFile[], options: Omit<ImportOptions, 'mode'>): ImportResult {
  const { parsed, problems } = parseFiles(files);
  const format = options.format ?? detectFormat(parsed);
  if (!format) {
    problems.push({
      path: files.map((f) => f.path).join(', '),
      code: 'unknown_format',
      message: 'no tokens found ($value or value keys)',
    });
    return { format: 'dtcg', tokens: new Map(), themes: [], groups: new Map(), problems, warnings: [] };
  }

  let tokens: TokenMap = new Map();
  let themes: TokenTheme[] = [];
  let pending: Set<string> | undefined;
  const groups: GroupMap = new Map();
  const origins: Origins = new Map();
  if (format === 'dtcg') {
    for (const file of parsed) readDtcg(file.data, file.path, tokens, problems, groups, origins);
    applyExtends(tokens, groups, problems);
  } else if (format === 'tokens-studio') {
    const studio = readTokensStudio(parsed, { sets: options.sets, theme: options.theme });
    ({ tokens, themes } = studio);
    problems.push(...studio.problems);
  } else {
    const legacy = readStyleDictionary(parsed, options.sets, origins);
    ({ tokens, pending } = legacy);
    problems.push(...legacy.problems);
  }
  problems.push(...validateTokens(tokens, options.existing, { pendingTargets: pending }));
  const warnings = [...namingCheck(tokens, options.existing, problems), ...unknownTypes(tokens)];
  // Only when something is wrong: placing problems scans the text once more.
  locateProblems(problems, files, origins);
  locateProblems(warnings, files, origins);
  return { format, tokens, themes, groups, problems, warnings };
}

/**
 * Names that collide in CSS (and SCSS, Less, flat JSON, whose names keep the path's case and
 * separators) are refused: those formats are what tokens are mostly for. Collisions that only the
 * camelCase or snake_case platforms create — Primer has ten, `focus.outline-color` beside
 * `focus.outlineColor` — are warnings: the import goes ahead and only that platform's export is refused.
 * The stored tokens keep their names; only problems involving an imported token are reported.
 */
function namingCheck(tokens: TokenMap, existing: TokenMap | undefined, problems: TokenProblem[]): TokenProblem[] {
  const paths = existing ? [...new Set([...existing.keys(), ...tokens.keys()])] : [...tokens.keys()];
  const options = existing ? { concerned: new Set(tokens.keys()) } : {};
  problems.push(...nameProblems(paths, 'css', options));
  const others = (Object.keys(NAMERS) as NamingPlatform[]).filter((platform) => platform !== 'css');
  return others.flatMap((platform) => nameProblems(paths, platform, options));
}

/** Tokens Studio with its markers, DTCG when any `$value` appears, legacy Style Dictionary otherwise. */
export function detectFormat(files: ParsedFile[]): ImportFormat | undefined {
  if (isTokensStudio(files)) return 'tokens-studio';
  if (files.some((f) => hasKey(f.data, '$value'))) return 'dtcg';
  if (files.some((f) => hasKey(f.data, 'value'))) return 'style-dictionary';
  return undefined;
}

function hasKey(value: unknown, key: string): boolean {
  if (!isRecord(value)) return false;
  if (Object.hasOwn(value, key)) return true;
  return Object.values(value).some((child) => hasKey(child, key));
}
