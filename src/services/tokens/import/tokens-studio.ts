// Tokens Studio: sets (one file each, or top-level keys of one file), `$metadata.tokenSetOrder`
// and `$themes`. Every token remembers its set in `$extensions[SET_EXTENSION]`.
import { SET_EXTENSION, type Token, type TokenMap, type TokenProblem, type TokenTheme } from '../token.types.ts';
import { checkGroupMember } from '../validate.ts';
import { isRecord } from '../values.ts';
import { dtcgType, dtcgValue } from './legacy-values.ts';
import type { ParsedFile } from './parse.ts';

const THEMES_FILE = /(^|\/)\$themes\.json5?$/;
const METADATA_FILE = /(^|\/)\$metadata\.json5?$/;

/** True when the files carry Tokens Studio's markers. */
export function isTokensStudio(files: ParsedFile[]): boolean {
  if (files.some((f) => THEMES_FILE.test(f.path) || METADATA_FILE.test(f.path))) return true;
  return files.length === 1 && (Object.hasOwn(files[0]!.data, '$themes') || Object.hasOwn(files[0]!.data, '$metadata'));
}

interface TokenSet {
  name: string;
  data: Record<string, unknown>;
  file: string;
}

export interface StudioOptions {
  sets?: string[];
  theme?: string;
}

export function readTokensStudio(
  files: ParsedFile[],
  options: StudioOptions,
): { tokens: TokenMap; themes: TokenTheme[]; problems: TokenProblem[] } {
  const problems: TokenProblem[] = [];
  const { sets, themes, order } = collect(files);
  const setNames = orderedSetNames(sets, order);

  let chosen: string[];
  if (options.theme !== undefined) {
    const theme = themes.find(
      (t) => t.name === options.theme || t.id === options.theme || `${t.group}/${t.name}` === options.theme,
    );
    if (!theme) {
      problems.push({
        path: options.theme,
        code: 'set_required',
        message: `no theme "${options.theme}"; themes: ${themes.map((t) => t.name).join(', ') || 'none'}`,
      });
      return { tokens: new Map(), themes, problems };
    }
    chosen = setNames.filter((name) => ['enabled', 'source'].includes(theme.selectedTokenSets[name] ?? 'disabled'));
  } else if (options.sets) {
    const unknown = options.sets.filter((name) => !setNames.includes(name));
    for (const name of unknown)
      problems.push({ path: name, code: 'set_required', message: `no set "${name}"; sets: ${setNames.join(', ')}` });
    chosen = setNames.filter((name) => options.sets!.includes(name));
  } else if (themes.length > 0) {
    // Every set, each theme a mode: one theme's sets never overwrite another's values.
    return { tokens: themesAsModes(sets, setNames, themes, problems), themes, problems };
  } else {
    chosen = setNames;
  }

  const tokens: TokenMap = new Map();
  const definedIn = new Map<string, { set: string; value: string }[]>();
  for (const name of chosen) {
    const set = sets.find((s) => s.name === name)!;
    const setTokens: TokenMap = new Map();
    walk(set.data, [], set.file, setTokens, problems);
    for (const [path, token] of setTokens) {
      token.$extensions = { ...token.$extensions, [SET_EXTENSION]: name };
      tokens.set(path, token);
      const seen = definedIn.get(path) ?? [];
      seen.push({ set: name, value: JSON.stringify([token.$value, token.$type]) });
      definedIn.set(path, seen);
    }
  }

  // Without a choice, sets that disagree are ambiguous: say so instead of picking one silently.
  if (options.theme === undefined && options.sets === undefined) {
    for (const [path, seen] of definedIn) {
      if (new Set(seen.map((s) => s.value)).size < 2) continue;
      problems.push({
        path,
        code: 'set_required',
        message:
          `defined differently in sets ${seen.map((s) => s.set).join(', ')}; choose a theme` +
          (themes.length > 0 ? ` (${themes.map((t) => t.name).join(', ')})` : '') +
          ' or sets',
      });
    }
  }
  return { tokens, themes, problems };
}

/**
 * The tokens of every theme, the first theme's values being the defaults and each other theme's
 * the token's values in that mode (named after the theme). An entry keeps the set it came from, so
 * exporting a mode writes the sets its theme enables. Sets no theme uses are kept as they are.
 */
function themesAsModes(sets: TokenSet[], setNames: string[], themes: TokenTheme[], problems: TokenProblem[]): TokenMap {
  const bySet = new Map<string, TokenMap>();
  for (const name of setNames) {
    const set = sets.find((s) => s.name === name)!;
    const setTokens: TokenMap = new Map();
    walk(set.data, [], set.file, setTokens, problems);
    for (const token of setTokens.values()) token.$extensions = { ...token.$extensions, [SET_EXTENSION]: name };
    bySet.set(name, setTokens);
  }
  const perTheme = themes.map((theme) => {
    const view: TokenMap = new Map();
    for (const name of setNames) {
      if (!['enabled', 'source'].includes(theme.selectedTokenSets[name] ?? 'disabled')) continue;
      for (const [path, token] of bySet.get(name)!) view.set(path, token);
    }
    return view;
  });
  const tokens: TokenMap = new Map();
  perTheme.forEach((view, i) => {
    for (const [path, token] of view) {
      const current = tokens.get(path);
      if (!current) {
        tokens.set(path, { ...token });
        continue;
      }
      const { modes: _modes, ...defaults } = current;
      if (same(defaults, token)) continue;
      const entry: Record<string, unknown> = { $value: token.$value };
      if (token.$extensions) entry.$extensions = token.$extensions;
      current.modes = { ...current.modes, [themes[i]!.name]: entry };
    }
  });
  for (const setTokens of bySet.values())
    for (const [path, token] of setTokens) if (!tokens.has(path)) tokens.set(path, token);
  return tokens;
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

function collect(files: ParsedFile[]): { sets: TokenSet[]; themes: TokenTheme[]; order: string[] } {
  const sets: TokenSet[] = [];
  let themes: TokenTheme[] = [];
  let order: string[] = [];
  const marker = files.find((f) => THEMES_FILE.test(f.path) || METADATA_FILE.test(f.path));
  const root = marker ? marker.path.slice(0, marker.path.lastIndexOf('/') + 1) : '';
  for (const file of files) {
    if (THEMES_FILE.test(file.path)) themes = readThemes(file.data);
    else if (METADATA_FILE.test(file.path)) order = readOrder(file.data);
    else if (!marker) {
      // One file holding every set as a top-level key.
      for (const [key, value] of Object.entries(file.data)) {
        if (key === '$themes') themes = readThemes(value);
        else if (key === '$metadata') order = readOrder(value);
        else if (isRecord(value)) sets.push({ name: key, data: value, file: file.path });
      }
    } else {
      const relative = file.path.startsWith(root) ? file.path.slice(root.length) : file.path;
      sets.push({ name: relative.replace(/\.json5?$/, ''), data: file.data, file: file.path });
    }
  }
  return { sets, themes, order };
}

/** `$themes.json` holds an array; in a single file it may sit under `$themes` as well. */
function readThemes(value: unknown): TokenTheme[] {
  const list = Array.isArray(value) ? value : isRecord(value) && Array.isArray(value.$themes) ? value.$themes : [];
  return list.filter(isRecord).map((theme) => {
    const selected: TokenTheme['selectedTokenSets'] = {};
    if (isRecord(theme.selectedTokenSets)) {
      for (const [set, status] of Object.entries(theme.selectedTokenSets)) {
        if (status === 'enabled' || status === 'source' || status === 'disabled') selected[set] = status;
      }
    }
    const out: TokenTheme = { name: String(theme.name ?? theme.id ?? ''), selectedTokenSets: selected };
    if (typeof theme.id === 'string') out.id = theme.id;
    if (typeof theme.group === 'string') out.group = theme.group;
    return out;
  });
}

function readOrder(value: unknown): string[] {
  return isRecord(value) && Array.isArray(value.tokenSetOrder)
    ? value.tokenSetOrder.filter((s): s is string => typeof s === 'string')
    : [];
}

/** Sets in `tokenSetOrder` first, then any others in file order. */
function orderedSetNames(sets: TokenSet[], order: string[]): string[] {
  const names = sets.map((s) => s.name);
  return [...order.filter((name) => names.includes(name)), ...names.filter((name) => !order.includes(name))];
}

const isStudioToken = (node: Record<string, unknown>) =>
  (Object.hasOwn(node, 'value') && !(isRecord(node.value) && Object.hasOwn(node.value, 'value'))) ||
  Object.hasOwn(node, '$value');

function walk(
  group: Record<string, unknown>,
  path: string[],
  file: string,
  tokens: TokenMap,
  problems: TokenProblem[],
): void {
  for (const [key, child] of Object.entries(group)) {
    if (key === '$type' || key === '$description' || key === '$extensions') continue;
    const childPath = [...path, key];
    if (!checkGroupMember(key, child, childPath.join('.'), file, problems, 'value')) continue;
    if (isStudioToken(child)) tokens.set(childPath.join('.'), readToken(child));
    else walk(child, childPath, file, tokens, problems);
  }
}

function readToken(node: Record<string, unknown>): Token {
  const rawType = typeof node.type === 'string' ? node.type : typeof node.$type === 'string' ? node.$type : undefined;
  const type = dtcgType(rawType);
  const token: Token = { $value: dtcgValue(type, Object.hasOwn(node, 'value') ? node.value : node.$value) };
  if (type) token.$type = type;
  const description = node.description ?? node.$description;
  if (typeof description === 'string') token.$description = description;
  if (isRecord(node.$extensions)) token.$extensions = { ...node.$extensions };
  return token;
}
