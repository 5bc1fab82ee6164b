// Reads real token packages from node_modules for the token pipeline tests.
import fs from 'node:fs';
import path from 'node:path';
import type { TokenFile } from '../../../../src/services/tokens/import/index.ts';

export const PRIMER = 'node_modules/@primer/primitives';
export const SPECTRUM = 'node_modules/@adobe/spectrum-tokens';

/** Every file under `dir` whose name ends with `ext`, sorted by path, with its content. */
export function readTree(dir: string, ext: string): TokenFile[] {
  const files: TokenFile[] = [];
  const walk = (current: string) => {
    for (const entry of fs.readdirSync(current, { withFileTypes: true })) {
      const full = path.join(current, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.name.endsWith(ext)) files.push({ path: full, content: fs.readFileSync(full, 'utf8') });
    }
  };
  walk(dir);
  return files.sort((a, b) => a.path.localeCompare(b.path));
}

export const readFiles = (paths: string[]): TokenFile[] =>
  paths.map((p) => ({ path: p, content: fs.readFileSync(p, 'utf8') }));

/** `--name: value;` declarations of a CSS text (comments removed, whitespace collapsed). */
export function cssVariables(css: string): Map<string, string[]> {
  const vars = new Map<string, string[]>();
  const text = css.replace(/\/\*[\s\S]*?\*\//g, '');
  for (const match of text.matchAll(/(--[\w-]+)\s*:\s*([^;]+);/g)) {
    const list = vars.get(match[1]!) ?? [];
    list.push(match[2]!.trim().replace(/\s+/g, ' '));
    vars.set(match[1]!, list);
  }
  return vars;
}

/** Replaces `var(--x)` with x's value from `vars`, recursively. */
export function resolveVars(value: string, vars: Map<string, string[]>, depth = 0): string {
  if (depth > 20) return value;
  return value.replace(/var\((--[\w-]+)\)/g, (whole, name: string) => {
    const found = vars.get(name)?.[0];
    return found === undefined ? whole : resolveVars(found, vars, depth + 1);
  });
}
