// The token map back to nested DTCG JSON: the round-trip format, written without Style Dictionary.
import { INHERITED_TYPE_EXTENSION, PROPS_EXTENSION, type GroupMap, type TokenMap } from '../token.types.ts';
import { PRIMER_OVERRIDES } from '../modes.ts';
import { isRecord } from '../values.ts';

/**
 * Nested DTCG; a token whose path is also a group goes under that group's `$root`. Group
 * declarations are written back on their groups, and types the tokens inherited stay inherited.
 */
export function toDtcg(tokens: TokenMap, groups: GroupMap = new Map()): Record<string, unknown> {
  const root: Record<string, unknown> = {};
  for (const [path, token] of tokens) {
    const node: Record<string, unknown> = { $value: token.$value };
    const inherited = token.$extensions?.[INHERITED_TYPE_EXTENSION] === true && groupDeclaresType(path, groups);
    if (token.$type !== undefined && !inherited) node.$type = token.$type;
    if (token.$description !== undefined) node.$description = token.$description;
    if (token.$deprecated !== undefined) node.$deprecated = token.$deprecated;
    if (token.$extensions) {
      const { [PROPS_EXTENSION]: props, [INHERITED_TYPE_EXTENSION]: _inherited, ...extensions } = token.$extensions;
      if (Object.keys(extensions).length > 0) node.$extensions = extensions;
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

/** Whether some group enclosing `path` declares a `$type` the token can inherit. */
function groupDeclaresType(path: string, groups: GroupMap): boolean {
  const segments = path.split('.');
  for (let i = segments.length - 1; i >= 0; i--) if (groups.get(segments.slice(0, i).join('.'))?.$type) return true;
  return false;
}
