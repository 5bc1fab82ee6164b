// Modes (light, dark, dark-high-contrast…): a token keeps its default `$value` and, in `modes`, its
// value in each mode where it differs. An entry is the mode's value, or Primer's override form
// `{ $value, alpha?, $extensions? }` when the mode also changes a sibling property. As in Primer's
// build, a bare value replaces only the value (the token's alpha stays); the override form replaces
// the siblings it names, and `$extensions` when given (a Tokens Studio set's own modifiers).
// Exporting a mode writes the mode's view of the map, so aliases resolve within the mode. A mode may
// fall back to another (`dark-dimmed` → `dark`): a token without a value of its own in the mode takes
// the fallback's, as Primer's build does with a theme's `[theme, fallback]` pair.
import { referencesIn } from './aliases.ts';
import { PROPS_EXTENSION, type Token, type TokenMap, type TokenProblem, type TokenTheme } from './token.types.ts';
import { isRecord } from './values.ts';

/** Whether `name` may name a mode: CSS writes it in `[data-color-mode="…"]`, so no quotes, braces, \ or control characters. */
export function isModeName(name: string): boolean {
  if (name.length < 1 || name.length > 100) return false;
  for (const char of name) if (char.charCodeAt(0) < 0x20 || `"'\\{}`.includes(char)) return false;
  return true;
}

/** Primer's per-theme values, read into `modes` at import and written back by the DTCG export. */
export const PRIMER_OVERRIDES = 'org.primer.overrides';

/**
 * True when a mode entry is the override form rather than a bare value: it has a `$value`, or only
 * changes the alpha (Primer's `{ alpha: 0.15 }`, no DTCG value being an object of just `alpha`).
 */
export const isOverride = (entry: unknown): entry is Record<string, unknown> =>
  isRecord(entry) &&
  (Object.hasOwn(entry, '$value') ||
    (Object.hasOwn(entry, 'alpha') && Object.keys(entry).every((k) => k === 'alpha' || k === '$extensions')));

/** Mode → the mode it falls back to. */
export type ModeFallbacks = Record<string, string>;

/** `mode`, then what it falls back to, and so on (a cycle ends the chain). */
export function modeChain(mode: string | undefined, fallbacks: ModeFallbacks = {}): string[] {
  const chain: string[] = [];
  for (let current = mode; current !== undefined && !chain.includes(current); current = fallbacks[current])
    chain.push(current);
  return chain;
}

/** Why a fallback cannot be set (itself, or a cycle), or undefined. */
export function fallbackProblem(mode: string, fallback: string, fallbacks: ModeFallbacks): string | undefined {
  if (!isModeName(mode)) return `"${mode}" cannot name a mode`;
  if (!isModeName(fallback)) return `"${fallback}" cannot name a mode`;
  const chain = modeChain(fallback, { ...fallbacks, [mode]: fallback });
  return chain.includes(mode)
    ? `falling back to ${fallback} makes a cycle: ${[mode, ...chain].join(' → ')}`
    : undefined;
}

/**
 * The token as it is in a mode (without `modes`): the value of the first mode of `chain` (the mode,
 * then its fallbacks) that has one; the token itself, minus `modes`, when none has.
 */
export function tokenInMode(token: Token, chain: string | string[] | undefined): Token {
  const { modes, ...rest } = token;
  const mode = modes
    ? (typeof chain === 'string' ? [chain] : (chain ?? [])).find((m) => Object.hasOwn(modes, m))
    : undefined;
  if (mode === undefined || !modes) return modes ? rest : token;
  const entry = modes[mode];
  const out: Token = { ...rest };
  const props: Record<string, unknown> = isRecord(rest.$extensions?.[PROPS_EXTENSION])
    ? { ...(rest.$extensions[PROPS_EXTENSION] as Record<string, unknown>) }
    : {};
  let extensions: Record<string, unknown> = { ...rest.$extensions };
  if (isOverride(entry)) {
    const { $value, $extensions, ...siblings } = entry;
    if (Object.hasOwn(entry, '$value')) out.$value = $value;
    if (isRecord($extensions)) extensions = { ...$extensions };
    Object.assign(props, siblings);
  } else out.$value = entry;
  delete extensions[PROPS_EXTENSION];
  if (Object.keys(props).length > 0) extensions[PROPS_EXTENSION] = props;
  if (Object.keys(extensions).length > 0) out.$extensions = extensions;
  else delete out.$extensions;
  return out;
}

/** The map as it is in `mode` (and its fallbacks): every token's value in that mode, no `modes` left. */
export function modeView(tokens: TokenMap, mode: string | undefined, fallbacks: ModeFallbacks = {}): TokenMap {
  const chain = modeChain(mode, fallbacks);
  const view: TokenMap = new Map();
  for (const [path, token] of tokens) view.set(path, tokenInMode(token, chain));
  return view;
}

export interface ModeSummary {
  name: string;
  /** Tokens with their own value in this mode. */
  tokens: number;
  /** Whether a Tokens Studio theme of this name picks the sets written for it. */
  theme: boolean;
  /** The mode whose values it takes where it has none of its own, or null. */
  fallback: string | null;
}

/** The modes of a design system: those its tokens have values for, its Tokens Studio themes, those given a fallback. */
export function listModes(
  tokens: Iterable<Token>,
  themes: TokenTheme[] = [],
  fallbacks: ModeFallbacks = {},
): ModeSummary[] {
  const counts = new Map<string, number>();
  for (const token of tokens)
    for (const mode of Object.keys(token.modes ?? {})) counts.set(mode, (counts.get(mode) ?? 0) + 1);
  const themeNames = new Set(themes.map((t) => t.name));
  for (const name of [...themeNames, ...Object.keys(fallbacks)]) if (!counts.has(name)) counts.set(name, 0);
  return [...counts].map(([name, count]) => ({
    name,
    tokens: count,
    theme: themeNames.has(name),
    fallback: fallbacks[name] ?? null,
  }));
}

/** The Tokens Studio theme `mode` names (by name, id or group/name), if any. */
export function themeOf(mode: string, themes: TokenTheme[] = []): TokenTheme | undefined {
  return themes.find((t) => t.name === mode || t.id === mode || `${t.group}/${t.name}` === mode);
}

/** Every reference of a token, in its default value and in each mode. */
export function tokenReferences(token: Token): string[] {
  return referencesIn(token.modes ? [token.$value, token.modes] : token.$value);
}

/** Problems of the shape of `modes`: a map of legal mode names to values (not themselves `{ $value }`-less objects of overrides). */
export function modeShapeProblems(path: string, token: Token): TokenProblem[] {
  if (token.modes === undefined) return [];
  if (!isRecord(token.modes)) return [{ path, code: 'invalid_value', message: 'modes is a map of mode name → value' }];
  const problems: TokenProblem[] = [];
  for (const [mode, entry] of Object.entries(token.modes)) {
    if (!isModeName(mode))
      problems.push({
        path,
        code: 'invalid_value',
        message: `mode name "${mode}" must be 1–100 characters without quotes, braces or \\`,
      });
    else if (entry === undefined || entry === null || (isOverride(entry) && entry.$value === null))
      problems.push({ path, code: 'missing_value', message: `mode ${mode}: no value` });
  }
  return problems;
}

/** New `modes` over the stored ones (a PUT's): each mode named is set, or removed when null. */
export function mergeModes(current: Record<string, unknown> | undefined, changes: Record<string, unknown>) {
  const modes: Record<string, unknown> = { ...current };
  for (const [mode, value] of Object.entries(changes)) {
    if (value === null) delete modes[mode];
    else modes[mode] = value;
  }
  return modes;
}
