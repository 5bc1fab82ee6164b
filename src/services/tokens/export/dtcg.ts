// The token map back to nested DTCG JSON: the round-trip format, written without Style Dictionary.
import {
  EXTENDS_EXTENSION,
  INHERITED_TYPE_EXTENSION,
  POINTER_EXTENSION,
  PROPS_EXTENSION,
  type GroupMap,
  type Token,
  type TokenMap,
} from '../token.types.ts';
import { aliasesToPointers } from '../import/pointers.ts';
import { PRIMER_OVERRIDES } from '../modes.ts';
import { isRecord } from '../values.ts';

/**
 * Nested DTCG; a token whose path is also a group goes under that group's `$root`. Group
 * declarations are written back on their groups, and types the tokens inherited stay inherited.
 */
export function toDtcg(tokens: TokenMap, groups: GroupMap = new Map()): Record<string, unknown> {
  const root: Record<string, unknown> = {};
  for (const [path, token] of tokens) {
    // A token a group inherited, unchanged since: its group's `$extends` says so.
    if (isInheritedCopy(path, token)) continue;
    const pointers = token.$extensions?.[POINTER_EXTENSION] === true;
    const node: Record<string, unknown> = { $value: pointers ? aliasesToPointers(token.$value) : token.$value };
    const inherited = token.$extensions?.[INHERITED_TYPE_EXTENSION] === true && groupDeclaresType(path, groups);
    if (token.$type !== undefined && !inherited) node.$type = token.$type;
    if (token.$description !== undefined) node.$description = token.$description;
    if (token.$deprecated !== undefined) node.$deprecated = token.$deprecated;
    if (token.$extensions) {
      const {
        [PROPS_EXTENSION]: props,
        [INHERITED_TYPE_EXTENSION]: _inherited,
        [POINTER_EXTENSION]: _pointers,
        ...extensions
      } = token.$extensions;
      if (Object.keys(extensions).length > 0 || Object.keys(token.$extensions).length === 0)
        node.$extensions = extensions;
      if (isRecord(props)) Object.assign(node, props);
    }
    // Modes go where Primer keeps them, the one convention DTCG files have for per-theme values.
    if (token.modes && Object.keys(token.modes).length > 0)
      node.$extensions = {
        ...(node.$extensions as Record<string, unknown> | undefined),
        [PRIMER_OVERRIDES]: token.modes,
      };
    const segments = path.split('.');
    let group = root;
    for (const segment of segments.slice(0, -1)) {
      let next = group[segment];
      if (isRecord(next) && Object.hasOwn(next, '$value')) {
        next = { $root: next };
        group[segment] = next;
      } else if (!isRecord(next)) {
        next = {};
        group[segment] = next;
      }
      group = next as Record<string, unknown>;
    }
    const last = segments.at(-1)!;
    if (isRecord(group[last])) (group[last] as Record<string, unknown>).$root = node;
    else group[last] = node;
  }
  for (const [path, meta] of groups) {
    let group = root;
    for (const segment of path ? path.split('.') : []) {
      if (!isRecord(group[segment])) group[segment] = {};
      group = group[segment] as Record<string, unknown>;
    }
    Object.assign(group, meta);
  }
  return root;
}

/**
 * Whether some group enclosing `path` declares a `$type` the token can inherit, or inherits one by
 * `$extends`. The group at the path itself counts: its `$root` token inherits from it.
 */
function groupDeclaresType(path: string, groups: GroupMap): boolean {
  const segments = path.split('.');
  for (let i = segments.length; i >= 0; i--) {
    const group = groups.get(segments.slice(0, i).join('.'));
    if (group?.$type || group?.$extends) return true;
  }
  return false;
}

/** A token `$extends` gave a group, still the alias of the one it inherited and nothing more. */
function isInheritedCopy(path: string, token: Token): boolean {
  const source = token.$extensions?.[EXTENDS_EXTENSION];
  if (typeof source !== 'string' || token.$value !== `{${source}}`) return false;
  return (
    token.$description === undefined &&
    token.modes === undefined &&
    Object.keys(token.$extensions!).length === 1 &&
    path !== source
  );
}
