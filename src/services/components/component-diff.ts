// Field-level differences between two component versions, with unified diffs for the texts.
import { createTwoFilesPatch } from 'diff';
import type { ComponentContent } from '../documents/component-doc.ts';

export interface FieldChange {
  field: string;
  from: unknown;
  to: unknown;
  /** Unified diff, for `code` and `docs`. */
  patch?: string;
}

/** What changed from version `a` to version `b`. */
export function diffComponents(a: ComponentContent, b: ComponentContent, labels: [string, string]): FieldChange[] {
  const changes: FieldChange[] = [];
  for (const field of ['name', 'category', 'status'] as const) {
    if (a[field] !== b[field]) changes.push({ field, from: a[field], to: b[field] });
  }
  for (const field of ['code', 'docs'] as const) {
    if (a[field] !== b[field]) {
      const file = field === 'code' ? `${b.name || 'component'}.tsx` : `${b.name || 'component'}.md`;
      const patch = createTwoFilesPatch(`${labels[0]}/${file}`, `${labels[1]}/${file}`, a[field], b[field], '', '', {
        context: 3,
      });
      changes.push({ field, from: a[field], to: b[field], patch });
    }
  }
  const keys = new Set([...Object.keys(a.props), ...Object.keys(b.props)]);
  for (const key of [...keys].sort()) {
    const from = a.props[key];
    const to = b.props[key];
    if (JSON.stringify(from) !== JSON.stringify(to))
      changes.push({ field: `props.${key}`, from: from ?? null, to: to ?? null });
  }
  return changes;
}
