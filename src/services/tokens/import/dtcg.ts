// DTCG (2025.10 and older string values) → token map. Group `$type` is inherited by the tokens
// below it and written onto each token, so every token in the map carries its effective type; the
// group's own declarations are kept in `groups` (and inherited types marked) so DTCG round-trips.
import {
  INHERITED_TYPE_EXTENSION,
  POINTER_EXTENSION,
  PROPS_EXTENSION,
  type GroupMap,
  type Token,
  type TokenGroup,
  type TokenMap,
  type TokenProblem,
} from '../token.types.ts';
import { PRIMER_OVERRIDES } from '../modes.ts';
import { checkGroupMember } from '../validate.ts';
import { isRecord } from '../values.ts';
import { setToken, type Origins } from './origins.ts';
import { pointersToAliases } from './pointers.ts';

const GROUP_PROPERTIES = new Set(['$type', '$description', '$extensions', '$deprecated', '$schema', '$extends']);
const TOKEN_PROPERTIES = new Set(['$value', '$type', '$description', '$extensions', '$deprecated']);

/** Adds the tokens of one DTCG document to `tokens` (later documents override earlier ones). */
export function readDtcg(
  data: Record<string, unknown>,
  file: string,
  tokens: TokenMap,
  problems: TokenProblem[],
  groups: GroupMap = new Map(),
  origins: Origins = new Map(),
): void {
  walk(data, [], undefined, { file, tokens, problems, groups, origins });
}

interface Walk {
  file: string;
  tokens: TokenMap;
  problems: TokenProblem[];
  groups: GroupMap;
  origins: Origins;
}

function groupMeta(group: Record<string, unknown>): TokenGroup | undefined {
  const meta: TokenGroup = {};
  if (typeof group.$type === 'string') meta.$type = group.$type;
  if (typeof group.$description === 'string') meta.$description = group.$description;
  if (isRecord(group.$extensions)) meta.$extensions = { ...group.$extensions };
  if (typeof group.$extends === 'string') meta.$extends = group.$extends;
  return Object.keys(meta).length ? meta : undefined;
}

function walk(group: Record<string, unknown>, path: string[], inheritedType: string | undefined, w: Walk): void {
  const { file, problems } = w;
  const type = typeof group.$type === 'string' ? group.$type : inheritedType;
  const meta = groupMeta(group);
  if (meta) w.groups.set(path.join('.'), meta);
  for (const [key, child] of Object.entries(group)) {
    if (GROUP_PROPERTIES.has(key)) continue;
    const childPath = [...path, key];
    if (!checkGroupMember(key, child, childPath.join('.'), file, problems, '$value')) continue;
    if (Object.hasOwn(child, '$value')) {
      const token = readToken(child, type, childPath, file, problems);
      if (token) setToken(w.tokens, w.origins, tokenPath(childPath), token, file, problems);
    } else walk(child, childPath, type, w);
  }
}

/** `$root` names the token of a group itself (DTCG 2025.10). */
const tokenPath = (segments: string[]) => segments.filter((s) => s !== '$root').join('.');

function readToken(
  node: Record<string, unknown>,
  inheritedType: string | undefined,
  path: string[],
  file: string,
  problems: TokenProblem[],
): Token | undefined {
  const pointerErrors: string[] = [];
  const { value, found: pointers } = pointersToAliases(node.$value, pointerErrors);
  for (const message of pointerErrors) problems.push({ path: tokenPath(path), file, code: 'invalid_value', message });
  if (pointerErrors.length > 0) return undefined;
  const token: Token = { $value: value };
  const own = typeof node.$type === 'string' ? node.$type : undefined;
  const type = own ?? inheritedType;
  if (type) token.$type = type;
  if (typeof node.$description === 'string') token.$description = node.$description;
  if (typeof node.$deprecated === 'boolean' || typeof node.$deprecated === 'string')
    token.$deprecated = node.$deprecated;
  const extensions = isRecord(node.$extensions) ? { ...node.$extensions } : {};
  // Primer's per-theme values are the token's modes (written back there by the DTCG export).
  const overrides = extensions[PRIMER_OVERRIDES];
  if (isRecord(overrides)) {
    token.modes = { ...overrides };
    delete extensions[PRIMER_OVERRIDES];
  }
  const props: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(node)) {
    if (TOKEN_PROPERTIES.has(key)) continue;
    if (key.startsWith('$')) {
      problems.push({
        path: [...path, key].join('.'),
        file,
        code: 'illegal_name',
        message: `"${key}" is not a DTCG token property`,
      });
    } else {
      // Tools add siblings such as Primer's `alpha`; keep them so they survive a round trip.
      props[key] = value;
    }
  }
  if (Object.keys(props).length > 0) extensions[PROPS_EXTENSION] = props;
  if (!own && inheritedType) extensions[INHERITED_TYPE_EXTENSION] = true;
  if (pointers) extensions[POINTER_EXTENSION] = true;
  // An `$extensions: {}` written in the file is kept, so that DTCG out equals DTCG in.
  if (Object.keys(extensions).length > 0 || isRecord(node.$extensions)) token.$extensions = extensions;
  return token;
}
