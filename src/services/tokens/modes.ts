// Modes (light, dark, dark-high-contrast…): a token keeps its default `$value` and, in `modes`, its
// value in each mode where it differs. An entry is the mode's value, or Primer's override form
// `{ $value, alpha?, $extensions? }` when the mode also changes a sibling property. As in Primer's
// build, a bare value replaces only the value (the token's alpha stays); the override form replaces
// the siblings it names, and `$extensions` when given (a Tokens Studio set's own modifiers).
// Exporting a mode writes the mode's view of the map, so aliases resolve within the mode.
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

/** The token as it is in `mode` (without `modes`); the token itself, minus `modes`, when it has no value there. */
export function tokenInMode(token: Token, mode: string | undefined): Token {
  const { modes, ...rest } = token;
  if (mode === undefined || !modes || !Object.hasOwn(modes, mode)) return modes ? rest : token;
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

/** The map as it is in `mode`: every token's value in that mode, no `modes` left. */
export function modeView(tokens: TokenMap, mode: string | undefined): TokenMap {
  const view: TokenMap = new Map();
  for (const [path, token] of tokens) view.set(path, tokenInMode(token, mode));
  return view;
}

export interface ModeSummary {
  name: string;
  /** Tokens with their own value in this mode. */
  tokens: number;
  /** Whether a Tokens Studio theme of this name picks the sets written for it. */
  theme: boolean;
}

/** The modes of a design system: those its tokens have values for, then its Tokens Studio themes. */
export function listModes(tokens: Iterable<Token>, themes: TokenTheme[] = []): ModeSummary[] {
  const counts = new Map<string, number>();
  for (const token of tokens)
    for (const mode of Object.keys(token.modes ?? {})) counts.set(mode, (counts.get(mode) ?? 0) + 1);
  const themeNames = new Set(themes.map((t) => t.name));
  for (const name of themeNames) if (!counts.has(name)) counts.set(name, 0);
  return [...counts].map(([name, count]) => ({ name, tokens: count, theme: themeNames.has(name) }));
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
