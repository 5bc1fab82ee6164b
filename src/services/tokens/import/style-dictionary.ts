// Legacy Style Dictionary tokens (`{value, type?, comment?}`), including Adobe Spectrum's, whose
// values may branch per set: `{sets: {light: {value}, dark: {value}}}`, possibly nested. With
// `sets` chosen the matching branch is taken; without, the choice is reported as `set_required`.
import { SET_EXTENSION, type Token, type TokenMap, type TokenProblem } from '../token.types.ts';
import { checkGroupMember } from '../validate.ts';
import { isRecord } from '../values.ts';
import { dtcgType, dtcgValue } from './legacy-values.ts';
import { setToken, type Origins } from './origins.ts';
import type { ParsedFile } from './parse.ts';

const SPECTRUM_KEYS = ['uuid', 'component', 'renamed', 'private', 'deprecated_comment'];

export interface LegacyResult {
  tokens: TokenMap;
  problems: TokenProblem[];
  /** Paths left out because their set was not chosen; aliases to them are not "broken". */
  pending: Set<string>;
}

export function readStyleDictionary(
  files: ParsedFile[],
  chosenSets: string[] | undefined,
  origins: Origins = new Map(),
): LegacyResult {
  const tokens: TokenMap = new Map();
  const problems: TokenProblem[] = [];
  const pending = new Set<string>();
  // Set alternatives ("dark, light, wireframe") → the tokens that need one of them chosen.
  const unchosen = new Map<string, string[]>();

  const walk = (group: Record<string, unknown>, path: string[], file: string) => {
    for (const [key, child] of Object.entries(group)) {
      if (key.startsWith('$') && path.length === 0 && key === '$schema') continue;
      const childPath = [...path, key];
      const dotted = childPath.join('.');
      if (!checkGroupMember(key, child, dotted, file, problems, 'value')) continue;
      if (!Object.hasOwn(child, 'value') && !isRecord(child.sets)) {
        walk(child, childPath, file);
        continue;
      }
      const branch = pickBranch(child, chosenSets ?? []);
      if ('missing' in branch) {
        pending.add(dotted);
        const key = branch.missing.join(', ');
        unchosen.set(key, [...(unchosen.get(key) ?? []), dotted]);
        continue;
      }
      setToken(tokens, origins, dotted, readToken(child, branch.node, branch.sets), file, problems);
    }
  };
  for (const file of files) walk(file.data, [], file.path);

  for (const [alternatives, paths] of unchosen) {
    const examples = paths.slice(0, 3).join(', ') + (paths.length > 3 ? ', …' : '');
    problems.push({
      path: paths[0]!,
      code: 'set_required',
      message: `${paths.length} token(s) (${examples}) have one value per set; choose one of: ${alternatives} (options.sets)`,
    });
  }
  return { tokens, problems, pending };
}

/** Follows `sets` down to a leaf with a `value`, taking the chosen set at each level. */
function pickBranch(
  node: Record<string, unknown>,
  chosen: string[],
): { node: Record<string, unknown>; sets: string[] } | { missing: string[] } {
  const sets: string[] = [];
  let current = node;
  while (isRecord(current.sets)) {
    const names = Object.keys(current.sets);
    const name = names.find((n) => chosen.includes(n));
    if (name === undefined) return { missing: [...names].sort() };
    const next = current.sets[name];
    if (!isRecord(next)) return { missing: [...names].sort() };
    sets.push(name);
    current = next;
  }
  return { node: current, sets };
}

/** Spectrum names its value type by schema URL (`…/token-types/dimension.json`). */
function schemaType(node: Record<string, unknown>): string | undefined {
  if (typeof node.$schema !== 'string') return undefined;
  const name = /\/([\w-]+)\.json$/.exec(node.$schema)?.[1];
  return name === 'alias' || name === 'scale-set' || name === 'color-set' || name === 'set' ? undefined : name;
}

function readToken(outer: Record<string, unknown>, leaf: Record<string, unknown>, sets: string[]): Token {
  const rawType =
    typeof leaf.type === 'string'
      ? leaf.type
      : typeof outer.type === 'string'
        ? outer.type
        : (schemaType(leaf) ?? schemaType(outer));
  const type = dtcgType(rawType);
  const token: Token = { $value: dtcgValue(type, leaf.value) };
  if (type) token.$type = type;
  const description = outer.comment ?? outer.description ?? leaf.comment ?? leaf.description;
  if (typeof description === 'string') token.$description = description;
  if (outer.deprecated === true)
    token.$deprecated = typeof outer.deprecated_comment === 'string' ? outer.deprecated_comment : true;
  const extensions: Record<string, unknown> = {};
  if (sets.length > 0) extensions[SET_EXTENSION] = sets.join('/');
  const spectrum = Object.fromEntries(SPECTRUM_KEYS.filter((k) => outer[k] !== undefined).map((k) => [k, outer[k]]));
  if (Object.keys(spectrum).length > 0) extensions['com.adobe.spectrum'] = spectrum;
  if (Object.keys(extensions).length > 0) token.$extensions = extensions;
  return token;
}
