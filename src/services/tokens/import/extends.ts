// DTCG 2025.10 group inheritance: a group with `$extends: "{other}"` (or `"#/other"`) has every token
// of `other` that it does not define itself, and `other`'s `$type` for its own untyped tokens. An
// inherited token is stored as an alias of the token it inherits (so it follows later edits) and
// marked, so the DTCG export writes the group's `$extends` instead of copies. Chains are followed;
// a cycle or a group that does not exist is a problem of the extending group.
import { aliasTarget } from '../aliases.ts';
import {
  EXTENDS_EXTENSION,
  INHERITED_TYPE_EXTENSION,
  type GroupMap,
  type TokenMap,
  type TokenProblem,
} from '../token.types.ts';
import { pointerPath } from './pointers.ts';

/** The group path an `$extends` names, or why it cannot. */
function extendsTarget(reference: string): { path: string } | { error: string } {
  if (reference.startsWith('#')) return pointerPath(reference);
  const path = aliasTarget(reference);
  return path === undefined
    ? { error: `$extends ${JSON.stringify(reference)} is neither {group} nor #/group` }
    : { path };
}

/** The `$type` a group declares, or the nearest enclosing group's. */
function declaredType(path: string, groups: GroupMap): string | undefined {
  const segments = path.split('.');
  for (let i = segments.length; i >= 0; i--) {
    const type = groups.get(segments.slice(0, i).join('.'))?.$type;
    if (type) return type;
  }
  return undefined;
}

/** Adds the tokens each extending group inherits; reports what cannot be inherited. */
export function applyExtends(tokens: TokenMap, groups: GroupMap, problems: TokenProblem[]): void {
  const extending = [...groups].filter(([, meta]) => meta.$extends !== undefined);
  if (extending.length === 0) return;
  const state = new Map<string, 'visiting' | 'done'>();

  const visit = (group: string, stack: string[]): void => {
    if (state.get(group) === 'done') return;
    const reference = groups.get(group)?.$extends;
    if (reference === undefined) return;
    if (state.get(group) === 'visiting') {
      const cycle = [...stack.slice(stack.indexOf(group)), group];
      for (const member of new Set(cycle))
        problems.push({ path: member, code: 'alias_cycle', message: `$extends cycle: ${cycle.join(' → ')}` });
      for (const member of cycle) state.set(member, 'done');
      return;
    }
    state.set(group, 'visiting');
    const target = extendsTarget(reference);
    if ('error' in target) problems.push({ path: group, code: 'invalid_value', message: target.error });
    else {
      // The group it names may itself inherit: that comes first.
      visit(target.path, [...stack, group]);
      if (state.get(group) === 'done') return; // part of a cycle, reported
      inherit(group, target.path, reference);
    }
    state.set(group, 'done');
  };

  const inherit = (group: string, source: string, reference: string) => {
    const prefix = `${source}.`;
    const members = [...tokens].filter(([path]) => path.startsWith(prefix));
    if (members.length === 0) {
      const message = tokens.has(source)
        ? `$extends ${reference}: names a token, not a group`
        : `$extends ${reference}: no such group`;
      problems.push({ path: group, code: 'broken_alias', message });
      return;
    }
    for (const [path, token] of members) {
      const inherited = `${group}.${path.slice(prefix.length)}`;
      if (tokens.has(inherited)) continue;
      tokens.set(inherited, {
        $value: `{${path}}`,
        ...(token.$type ? { $type: token.$type } : {}),
        $extensions: { [EXTENDS_EXTENSION]: path },
      });
    }
    // Its own untyped tokens take the type of the group they extend.
    const type = declaredType(source, groups);
    if (!type) return;
    for (const [path, token] of tokens) {
      if (!path.startsWith(`${group}.`) || token.$type) continue;
      token.$type = type;
      token.$extensions = { ...token.$extensions, [INHERITED_TYPE_EXTENSION]: true };
    }
  };

  for (const [group] of extending) visit(group, []);
}
