// One CSS file for every mode, the way Primer's themes are used: `:root` holds the defaults, and
// each mode a `[data-color-mode="<mode>"]` block with only the variables whose value differs there.
// A mode named `light` or `dark` also answers `[data-color-mode="auto"]` under the matching
// `prefers-color-scheme`. A variable that refers to a changed one is declared again in the block:
// a custom property is computed where it is declared, so `--text: var(--bg)` on `:root` would keep
// the default `--bg`.

/** Writes the tokens as CSS in one mode (undefined: the defaults), with or without references. */
export type CssBuild = (mode: string | undefined, references: boolean) => Promise<string>;

const DECLARATION = /^\s*(--[^:\s]+)\s*:/;

/** `--name` → its declaration line, in file order. */
function declarations(css: string): Map<string, string> {
  const lines = new Map<string, string>();
  for (const line of css.split('\n')) {
    const name = DECLARATION.exec(line)?.[1];
    if (name) lines.set(name, line.trim());
  }
  return lines;
}

const quoted = (mode: string) => `"${mode.replace(/["\\]/g, '\\$&')}"`;
const block = (selector: string, lines: string[], indent: string) =>
  `${indent}${selector} {\n${lines.map((l) => `${indent}  ${l}`).join('\n')}\n${indent}}\n`;

/** The defaults, then a block per mode (in `modes` order) of what differs in it. */
export async function multiModeCss(build: CssBuild, modes: string[], references: boolean): Promise<string> {
  const defaults = await build(undefined, references);
  const resolvedDefaults = declarations(references ? await build(undefined, false) : defaults);
  let out = `${defaults.trimEnd()}\n`;
  for (const mode of modes) {
    const text = declarations(await build(mode, references));
    const resolved = references ? declarations(await build(mode, false)) : text;
    const changed = [...text.keys()].filter((name) => resolved.get(name) !== resolvedDefaults.get(name));
    if (changed.length === 0) continue;
    const lines = changed.map((name) => text.get(name)!);
    out += `\n${block(`[data-color-mode=${quoted(mode)}]`, lines, '')}`;
    const scheme = mode.toLowerCase();
    if (scheme === 'dark' || scheme === 'light')
      out += `\n@media (prefers-color-scheme: ${scheme}) {\n${block('[data-color-mode="auto"]', lines, '  ')}}\n`;
  }
  return out;
}
