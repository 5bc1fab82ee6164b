// The layout of a tokens document: `tokens` (Y.Map path → Y.Map { $value, $type, $description,
// $extensions, $deprecated, modes }), `groups` (Y.Map group path → DTCG group declarations) and `themes`
// (Y.Array of Tokens Studio themes) and `modeFallbacks` (Y.Map mode → the mode it falls back to).
// Reads return plain data.
import * as Y from 'yjs';
import type { ModeFallbacks } from '../tokens/modes.ts';
import type { GroupMap, Token, TokenGroup, TokenMap, TokenTheme } from '../tokens/token.types.ts';

/** The fields a token entry may hold. */
export const TOKEN_FIELDS = ['$value', '$type', '$description', '$extensions', '$deprecated', 'modes'] as const;
const FIELDS = TOKEN_FIELDS;
const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** Every token in the document, in insertion order. */
export function readTokens(doc: Y.Doc): TokenMap {
  const tokens: TokenMap = new Map();
  for (const [path, entry] of doc.getMap<Y.Map<unknown>>('tokens')) {
    const token: Token = { $value: entry.get('$value') };
    for (const field of FIELDS.slice(1)) {
      const value = entry.get(field);
      if (value !== undefined) (token as unknown as Record<string, unknown>)[field] = value;
    }
    tokens.set(path, token);
  }
  return tokens;
}

/** The themes stored with the tokens. */
export function readThemes(doc: Y.Doc): TokenTheme[] {
  return doc.getArray<TokenTheme>('themes').toArray();
}

/** Creates or updates one token field by field; returns whether it was new. */
export function writeToken(doc: Y.Doc, path: string, token: Token): 'created' | 'updated' | 'unchanged' {
  const tokens = doc.getMap<Y.Map<unknown>>('tokens');
  let entry = tokens.get(path);
  const created = !entry;
  if (!entry) {
    entry = new Y.Map<unknown>();
    tokens.set(path, entry);
  }
  let changed = created;
  for (const field of FIELDS) {
    const value = (token as unknown as Record<string, unknown>)[field];
    if (value === undefined) {
      if (entry.has(field)) {
        entry.delete(field);
        changed = true;
      }
    } else if (!same(entry.get(field), value)) {
      entry.set(field, value);
      changed = true;
    }
  }
  return created ? 'created' : changed ? 'updated' : 'unchanged';
}

/** Removes a token; returns whether it existed. */
export function deleteToken(doc: Y.Doc, path: string): boolean {
  const tokens = doc.getMap('tokens');
  if (!tokens.has(path)) return false;
  tokens.delete(path);
  return true;
}

/** Replaces the stored themes. */
export function writeThemes(doc: Y.Doc, themes: TokenTheme[]): void {
  const array = doc.getArray<TokenTheme>('themes');
  if (same(array.toArray(), themes)) return;
  array.delete(0, array.length);
  array.insert(0, themes);
}

/** The DTCG group declarations stored with the tokens. */
export function readGroups(doc: Y.Doc): GroupMap {
  return new Map(Object.entries(doc.getMap<TokenGroup>('groups').toJSON() as Record<string, TokenGroup>));
}

/** Records group declarations (imports add to them; a group declared again is replaced). */
export function writeGroups(doc: Y.Doc, groups: GroupMap): void {
  const map = doc.getMap<TokenGroup>('groups');
  for (const [path, meta] of groups) if (!same(map.get(path), meta)) map.set(path, meta);
}

/** Each mode's fallback. */
export function readModeFallbacks(doc: Y.Doc): ModeFallbacks {
  return doc.getMap<string>('modeFallbacks').toJSON() as ModeFallbacks;
}

/** Sets a mode's fallback, or removes it (null). */
export function writeModeFallback(doc: Y.Doc, mode: string, fallback: string | null): void {
  const map = doc.getMap<string>('modeFallbacks');
  if (fallback === null) map.delete(mode);
  else if (map.get(mode) !== fallback) map.set(mode, fallback);
}
