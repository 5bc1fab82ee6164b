// DTCG 2025.10 JSON-pointer references: `{ "$ref": "#/color/base/red" }` anywhere in a value is the
// alias `{color.base.red}`. The map holds aliases (every export understands them); the token is
// marked so the DTCG export writes its pointers back as they were.
import { aliasTarget } from '../aliases.ts';
import { isRecord } from '../values.ts';

/** `#/a/b` (or `#/a/b/$value`) → `a.b`, or why it cannot be an alias. */
export function pointerPath(pointer: unknown): { path: string } | { error: string } {
  if (typeof pointer !== 'string' || !pointer.startsWith('#/'))
    return { error: `$ref ${JSON.stringify(pointer)} is not a JSON pointer into this document (#/…)` };
  const segments = pointer
    .slice(2)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
  if (segments.at(-1) === '$value') segments.pop();
  const inside = segments.indexOf('$value');
  if (inside >= 0)
    return { error: `$ref "${pointer}" points inside a token's value; only whole tokens can be referenced` };
  if (segments.some((s) => s === '' || /[.{}]/.test(s)))
    return { error: `$ref "${pointer}" has a segment that cannot be a token name` };
  return { path: segments.join('.') };
}

/** The value with every `{ $ref }` object replaced by its alias; errors collected. */
export function pointersToAliases(value: unknown, errors: string[]): { value: unknown; found: boolean } {
  let found = false;
  const walk = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(walk);
    if (!isRecord(node)) return node;
    if (Object.hasOwn(node, '$ref') && Object.keys(node).length === 1) {
      found = true;
      const target = pointerPath(node.$ref);
      if ('error' in target) {
        errors.push(target.error);
        return node;
      }
      return `{${target.path}}`;
    }
    return Object.fromEntries(Object.entries(node).map(([key, child]) => [key, walk(child)]));
  };
  return { value: walk(value), found };
}

/** Whole-alias strings in the value written back as `{ $ref }` pointers (the inverse of pointersToAliases). */
export function aliasesToPointers(value: unknown): unknown {
  if (typeof value === 'string') {
    if (aliasTarget(value) === undefined) return value;
    const path = value.trim().slice(1, -1).trim();
    return {
      $ref: `#/${path
        .split('.')
        .map((s) => s.replace(/~/g, '~0').replace(/\//g, '~1'))
        .join('/')}`,
    };
  }
  if (Array.isArray(value)) return value.map(aliasesToPointers);
  if (isRecord(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, aliasesToPointers(v)]));
  return value;
}
