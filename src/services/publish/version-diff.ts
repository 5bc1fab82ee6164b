// What changed between two published versions of a design system, and the changelog written from it.

export interface VersionContent {
  tokens: Record<string, { $value: unknown; $type?: string }>;
  components: { id: string; name: string; code: string; documentation: string; props: unknown; version: number }[];
}

export interface VersionDiff {
  tokens: { added: string[]; removed: string[]; changed: { path: string; from: unknown; to: unknown }[] };
  components: { added: string[]; removed: string[]; changed: { name: string; fields: string[] }[] };
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** The differences from `from` (null: nothing published before) to `to`. */
export function diffVersions(from: VersionContent | null, to: VersionContent): VersionDiff {
  const before = from?.tokens ?? {};
  const tokens: VersionDiff['tokens'] = { added: [], removed: [], changed: [] };
  for (const [path, t] of Object.entries(to.tokens)) {
    const old = before[path];
    if (!old) tokens.added.push(path);
    else if (!same(old.$value, t.$value) || old.$type !== t.$type)
      tokens.changed.push({ path, from: old.$value, to: t.$value });
  }
  for (const path of Object.keys(before)) if (!(path in to.tokens)) tokens.removed.push(path);
  const oldComponents = new Map((from?.components ?? []).map((c) => [c.id, c]));
  const components: VersionDiff['components'] = { added: [], removed: [], changed: [] };
  for (const c of to.components) {
    const old = oldComponents.get(c.id);
    if (!old) components.added.push(c.name);
    else {
      const fields = (['name', 'code', 'documentation', 'props'] as const).filter((f) => !same(old[f], c[f]));
      if (fields.length) components.changed.push({ name: c.name, fields });
    }
    oldComponents.delete(c.id);
  }
  components.removed = [...oldComponents.values()].map((c) => c.name);
  return { tokens, components };
}

/** A Markdown changelog entry for a version. */
export function changelog(version: string, diff: VersionDiff, resolvedThreads: string[], message?: string): string {
  const lines = [`## ${version} (${new Date().toISOString().slice(0, 10)})`, ''];
  if (message) lines.push(message, '');
  const section = (title: string, items: string[]) => {
    if (items.length) lines.push(`### ${title}`, '', ...items.map((i) => `- ${i}`), '');
  };
  section('Components added', diff.components.added);
  section(
    'Components changed',
    diff.components.changed.map((c) => `${c.name} (${c.fields.join(', ')})`),
  );
  section('Components removed', diff.components.removed);
  section(
    'Tokens added',
    diff.tokens.added.map((p) => `\`${p}\``),
  );
  section(
    'Tokens changed',
    diff.tokens.changed.map((c) => `\`${c.path}\`: ${JSON.stringify(c.from)} → ${JSON.stringify(c.to)}`),
  );
  section(
    'Tokens removed',
    diff.tokens.removed.map((p) => `\`${p}\``),
  );
  section('Resolved discussions', resolvedThreads);
  if (lines.length <= 2 + (message ? 2 : 0)) lines.push('No changes.', '');
  return lines.join('\n');
}
