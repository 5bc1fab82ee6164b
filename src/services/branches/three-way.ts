// The three-way diff of one document against its fork base: what the branch changed, what main
// changed since the fork, and the conflicts. Documents are compared as flat fields (a token's
// `$value`, a component's `meta/name` or `props/<prop>`) plus texts compared by line.
import type * as Y from 'yjs';
import { readComponent } from '../documents/component-doc.ts';
import { readModeFallbacks, readThemes, readTokens, TOKEN_FIELDS } from '../documents/tokens-doc.ts';
import { compareText, conflictKey, type Hunk } from './line-changes.ts';

/** A document's content as comparable parts. */
export interface Flat {
  fields: Map<string, unknown>;
  texts: Map<string, string>;
}

export type Side = 'branch' | 'main';

/** One changed field or text of one document. */
export interface DiffEntry {
  /** Stable id (`<document>#<field>`): comments anchor to it, merges resolve conflicts by it. */
  id: string;
  document: string;
  field: string;
  base: unknown;
  main: unknown;
  branch: unknown;
  /** For texts: the hunks of the side the entry is listed under (base line ranges). */
  hunks?: Hunk[];
}

/** A field both sides set to different values, or overlapping line changes of a text. */
export interface Conflict extends DiffEntry {
  kind: 'field' | 'text';
  lines?: { start: number; end: number };
}

export interface DocumentDiff {
  branch: DiffEntry[];
  main: DiffEntry[];
  conflicts: Conflict[];
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** A tokens or component document as flat fields and texts. */
export function flatten(doc: Y.Doc, kind: 'component' | 'tokens'): Flat {
  const fields = new Map<string, unknown>();
  const texts = new Map<string, string>();
  if (kind === 'component') {
    const c = readComponent(doc);
    for (const key of ['name', 'category', 'status'] as const) fields.set(`meta/${key}`, c[key]);
    for (const [key, value] of Object.entries(c.props)) fields.set(`props/${key}`, value);
    texts.set('code', c.code);
    texts.set('docs', c.docs);
    return { fields, texts };
  }
  for (const [path, token] of readTokens(doc)) {
    for (const field of TOKEN_FIELDS) {
      const value = (token as unknown as Record<string, unknown>)[field];
      if (value !== undefined) fields.set(`token/${path}/${field}`, value);
    }
  }
  for (const [path, group] of Object.entries(doc.getMap('groups').toJSON())) fields.set(`group/${path}`, group);
  const themes = readThemes(doc);
  if (themes.length) fields.set('themes', themes);
  for (const [mode, fallback] of Object.entries(readModeFallbacks(doc))) fields.set(`modeFallback/${mode}`, fallback);
  return { fields, texts };
}

/** Compares one document's three states. */
export function diffDocument(document: string, base: Flat, main: Flat, branch: Flat): DocumentDiff {
  const out: DocumentDiff = { branch: [], main: [], conflicts: [] };
  const keys = new Set([...base.fields.keys(), ...main.fields.keys(), ...branch.fields.keys()]);
  for (const field of [...keys].sort()) {
    const entry: DiffEntry = {
      id: `${document}#${field}`,
      document,
      field,
      base: base.fields.get(field),
      main: main.fields.get(field),
      branch: branch.fields.get(field),
    };
    const onMain = !same(entry.main, entry.base);
    const onBranch = !same(entry.branch, entry.base);
    if (onBranch) out.branch.push(entry);
    if (onMain) out.main.push(entry);
    if (onMain && onBranch && !same(entry.main, entry.branch)) out.conflicts.push({ ...entry, kind: 'field' });
  }
  for (const [field, baseText] of base.texts) {
    const mainText = main.texts.get(field) ?? '';
    const branchText = branch.texts.get(field) ?? '';
    const compared = compareText(baseText, mainText, branchText);
    const entry = { id: `${document}#${field}`, document, field, base: null, main: null, branch: null };
    if (compared.branch.length) out.branch.push({ ...entry, hunks: compared.branch });
    if (compared.main.length) out.main.push({ ...entry, hunks: compared.main });
    for (const c of compared.conflicts) {
      const key = `${field}/${conflictKey(c)}`;
      out.conflicts.push({
        id: `${document}#${key}`,
        document,
        field,
        kind: 'text',
        lines: { start: c.start, end: c.end },
        base: c.base,
        main: c.main,
        branch: c.branch,
      });
    }
  }
  return out;
}

/** Whether both sides changed a field (its merged value is then written explicitly). */
export function changedOnBoth(base: Flat, main: Flat, branch: Flat, field: string): boolean {
  const b = base.fields.get(field);
  return !same(main.fields.get(field), b) && !same(branch.fields.get(field), b);
}
