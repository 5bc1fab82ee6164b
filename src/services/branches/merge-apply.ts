// Applies a branch's changes since its fork onto the target document, inside the caller's Yjs
// transaction: the branch's update is integrated (the CRDT merges it with whatever the target did
// meanwhile), then every field both sides changed is written with its merged value — the common
// value, or the side chosen for a conflict — and each text with conflicting lines gets the chosen
// side's lines there. One transaction, so live clients of the target see the merge as one change.
import * as Y from 'yjs';
import { mergeText } from '../documents/text-merge.ts';
import { deleteToken, TOKEN_FIELDS, writeModeFallback, writeThemes, writeToken } from '../documents/tokens-doc.ts';
import type { Token, TokenTheme } from '../tokens/token.types.ts';
import { compareText, mergeLines } from './line-changes.ts';
import { changedOnBoth, flatten, type Flat } from './three-way.ts';

export type Choice = 'ours' | 'theirs';

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** Merges `update` (the branch since its fork) into `doc`; returns the conflicts no choice was given for (kept as main has them). */
export function applyMerge(
  doc: Y.Doc,
  kind: 'component' | 'tokens',
  document: string,
  update: Uint8Array,
  base: Flat,
  branch: Flat,
  choices: ReadonlyMap<string, Choice>,
): string[] {
  const main = flatten(doc, kind);
  Y.applyUpdate(doc, update);
  const unresolved: string[] = [];
  const choose = (id: string): Choice => {
    const choice = choices.get(id);
    if (!choice) unresolved.push(id);
    return choice ?? 'ours';
  };
  // The merged value of a field: the side that changed it, or for both, the common value or the choice.
  const merged = (field: string): unknown => {
    const b = base.fields.get(field);
    const m = main.fields.get(field);
    const r = branch.fields.get(field);
    if (same(r, b)) return m;
    if (same(m, b) || same(m, r)) return r;
    return choose(`${document}#${field}`) === 'theirs' ? r : m;
  };
  const keys = new Set([...base.fields.keys(), ...main.fields.keys(), ...branch.fields.keys()]);
  const both = [...keys].filter((field) => changedOnBoth(base, main, branch, field));
  if (kind === 'tokens') writeTokenFields(doc, both, merged, branch);
  else writeComponentFields(doc, both, merged);
  for (const [field, baseText] of base.texts) {
    const m = main.texts.get(field) ?? '';
    const r = branch.texts.get(field) ?? '';
    if (!compareText(baseText, m, r).conflicts.length) continue;
    const text = doc.getText(field);
    const desired = mergeLines(baseText, m, r, (key) => choose(`${document}#${field}/${key}`));
    mergeText(text, text.toString(), desired);
  }
  return unresolved;
}

function writeComponentFields(doc: Y.Doc, fields: string[], merged: (field: string) => unknown): void {
  for (const field of fields) {
    const [root, key] = field.split(/\/(.*)/s) as [string, string];
    const map = doc.getMap(root === 'meta' ? 'meta' : 'props');
    const value = merged(field);
    if (value === undefined) map.delete(key);
    else if (!same(map.get(key), value)) map.set(key, value);
  }
}

function writeTokenFields(doc: Y.Doc, fields: string[], merged: (field: string) => unknown, branch: Flat): void {
  const paths = new Set<string>();
  for (const field of fields) {
    if (field.startsWith('token/')) paths.add(field.slice(6, field.lastIndexOf('/')));
    else if (field === 'themes') writeThemes(doc, (merged(field) as TokenTheme[] | undefined) ?? []);
    else if (field.startsWith('modeFallback/'))
      writeModeFallback(doc, field.slice('modeFallback/'.length), (merged(field) as string | undefined) ?? null);
    else {
      const groups = doc.getMap('groups');
      const value = merged(field);
      if (value === undefined) groups.delete(field.slice(6));
      else groups.set(field.slice(6), value);
    }
  }
  // A token both sides touched is written whole: two sides creating the same path made two entries,
  // of which the CRDT keeps one.
  for (const path of paths) {
    const token: Record<string, unknown> = {};
    for (const f of TOKEN_FIELDS) {
      const value = merged(`token/${path}/${f}`);
      if (value !== undefined) token[f] = value;
    }
    // Keeping a token one side deleted brings back the branch's version of what it lacks.
    if (Object.keys(token).length && token.$value === undefined) {
      for (const f of TOKEN_FIELDS) token[f] ??= branch.fields.get(`token/${path}/${f}`);
    }
    for (const f of TOKEN_FIELDS) if (token[f] === undefined) delete token[f];
    if (!Object.keys(token).length) deleteToken(doc, path);
    else writeToken(doc, path, token as unknown as Token);
  }
}
