// The layout of a component document: `meta` (name, category, status), `code` and `docs` texts,
// and `props` (prop name → JSON spec). Reads return plain data; writes merge into the Y types.
import type * as Y from 'yjs';
import { mergeText } from './text-merge.ts';

export interface ComponentContent {
  name: string;
  category: string;
  status: string;
  code: string;
  docs: string;
  props: Record<string, unknown>;
}

/** The plain content of a component document. */
export function readComponent(doc: Y.Doc): ComponentContent {
  const meta = doc.getMap('meta');
  return {
    name: String(meta.get('name') ?? ''),
    category: String(meta.get('category') ?? ''),
    status: String(meta.get('status') ?? 'draft'),
    code: doc.getText('code').toString(),
    docs: doc.getText('docs').toString(),
    props: doc.getMap('props').toJSON() as Record<string, unknown>,
  };
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/**
 * Writes the given fields. Texts merge three-way against `base` (what the writer last saw), so
 * live edits elsewhere survive; meta fields and props are set per key.
 */
export function writeComponent(doc: Y.Doc, next: Partial<ComponentContent>, base?: ComponentContent): void {
  const meta = doc.getMap('meta');
  for (const key of ['name', 'category', 'status'] as const) {
    if (next[key] !== undefined && meta.get(key) !== next[key]) meta.set(key, next[key]);
  }
  for (const [key, field] of [
    ['code', 'code'],
    ['docs', 'docs'],
  ] as const) {
    const value = next[field];
    if (value === undefined) continue;
    const text = doc.getText(key);
    mergeText(text, base?.[field] ?? text.toString(), value);
  }
  if (next.props !== undefined) {
    const props = doc.getMap('props');
    for (const key of [...props.keys()]) if (!(key in next.props)) props.delete(key);
    for (const [key, value] of Object.entries(next.props)) if (!same(props.get(key), value)) props.set(key, value);
  }
}
