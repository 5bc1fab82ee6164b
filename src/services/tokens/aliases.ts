// Alias helpers. A DTCG alias is a whole string `{path.to.token}`; a string may also embed
// references (`inset 0 0 0 {borderWidth.thin}`), which Primer and Tokens Studio use.
import type { Token, TokenMap } from './token.types.ts';

const ALIAS = /^\{([^{}]+)\}$/;
const REFERENCE = /\{([^{}]+)\}/g;

/** `{accent.$root}` names the group's own token, which the map keeps at `accent` (DTCG 2025.10). */
const tokenPath = (path: string) => {
  const trimmed = path.trim();
  return trimmed.endsWith('.$root') ? trimmed.slice(0, -'.$root'.length) : trimmed;
};

/** True when the value is exactly one alias, `{a.b}`. */
export function isAlias(value: unknown): value is string {
  return typeof value === 'string' && ALIAS.test(value.trim());
}

/** The dot path an alias points at (`{a.b}` → `a.b`), or undefined for a non-alias. */
export function aliasTarget(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const path = ALIAS.exec(value.trim())?.[1];
  return path === undefined ? undefined : tokenPath(path);
}

/** Every reference in a value: whole aliases and references embedded in strings, at any depth. */
export function referencesIn(value: unknown, found: string[] = []): string[] {
  if (typeof value === 'string') {
    for (const match of value.matchAll(REFERENCE)) found.push(tokenPath(match[1]!));
  } else if (Array.isArray(value)) {
    for (const item of value) referencesIn(item, found);
  } else if (value !== null && typeof value === 'object') {
    for (const item of Object.values(value)) referencesIn(item, found);
  }
  return found;
}

/** Replaces each embedded `{ref}` in a string with what `replace` returns for its path. */
export function replaceReferences(value: string, replace: (path: string) => string): string {
  return value.replace(REFERENCE, (_, path: string) => replace(tokenPath(path)));
}

/** Looks a path up in the first map that has it. */
export function lookupIn(...maps: (TokenMap | undefined)[]): (path: string) => Token | undefined {
  return (path) => {
    for (const map of maps) {
      const token = map?.get(path);
      if (token) return token;
    }
    return undefined;
  };
}

export type Resolution =
  | { ok: true; path: string; token: Token; chain: string[] }
  | { ok: false; reason: 'broken' | 'cycle'; path: string; chain: string[] };

/**
 * Follows an alias chain from `path` to the first token whose value is not a whole alias.
 * `chain` lists the paths visited, so callers can explain a cycle or a broken link.
 */
export function resolveAlias(path: string, lookup: (path: string) => Token | undefined): Resolution {
  const chain: string[] = [];
  const seen = new Set<string>();
  let current = path;
  for (;;) {
    if (seen.has(current)) return { ok: false, reason: 'cycle', path: current, chain: [...chain, current] };
    seen.add(current);
    chain.push(current);
    const token = lookup(current);
    if (!token) return { ok: false, reason: 'broken', path: current, chain };
    const next = aliasTarget(token.$value);
    if (next === undefined) return { ok: true, path: current, token, chain };
    current = next;
  }
}

/** The effective type of a token: its own `$type`, or that of the token its alias resolves to. */
export function effectiveType(token: Token, lookup: (path: string) => Token | undefined): string | undefined {
  if (token.$type) return token.$type;
  const target = aliasTarget(token.$value);
  if (target === undefined) return undefined;
  const resolved = resolveAlias(target, lookup);
  if (!resolved.ok) return undefined;
  // The chain may carry a type on an intermediate alias.
  for (const path of resolved.chain) {
    const type = lookup(path)?.$type;
    if (type) return type;
  }
  return undefined;
}
