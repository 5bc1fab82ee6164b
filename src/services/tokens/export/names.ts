// Output names from token paths. CSS-like names join the path with `-` and keep each segment's case,
// as Primer's dist/css does (`control.minTarget.fine` → `control-minTarget-fine`).

const words = (segment: string) => segment.split(/[^A-Za-z0-9]+/).filter(Boolean);

/** `control.minTarget.fine` → `control-minTarget-fine` (with `prefix-` in front when given). */
export function kebabName(path: string, prefix?: string): string {
  const name = path
    .split('.')
    .map((segment) => words(segment).join('-'))
    .filter(Boolean)
    .join('-');
  return prefix ? `${prefix}-${name}` : name;
}

/** A JavaScript/Swift identifier: `base.size.2` → `baseSize2`, `control.minTarget` → `controlMinTarget`. */
export function camelName(path: string, prefix?: string): string {
  const parts = [...(prefix ? [prefix] : []), ...path.split('.')].flatMap(words);
  const name = parts.map((part, i) => (i === 0 ? part.charAt(0).toLowerCase() : part.charAt(0).toUpperCase()) + part.slice(1)).join('');
  return /^[0-9]/.test(name) ? `_${name}` : name;
}

/** An Android resource name: lower snake case (`control_min_target_fine`). */
export function snakeName(path: string, prefix?: string): string {
  const parts = [...(prefix ? [prefix] : []), ...path.split('.')].flatMap(words);
  const name = parts.map((part) => part.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase()).join('_');
  return /^[0-9]/.test(name) ? `_${name}` : name;
}
