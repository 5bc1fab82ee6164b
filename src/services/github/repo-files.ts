// What a design system looks like in its repository: tokens as DTCG files, one per token set
// (`<tokensPath>/<set>.json`, the set's slashes becoming folders) or a single `<tokensPath>/tokens.json`
// when there are no sets, and components as their TypeScript sources (`<componentsPath>/<Name>.tsx`, with
// `<Name>.md` for their documentation and `index.ts` re-exporting them). The file a token lives in
// names its set, so the set extension is not repeated inside the files and is put back on import.
import { toDtcg } from '../tokens/export/dtcg.ts';
import { SET_EXTENSION, type GroupMap, type Token, type TokenMap } from '../tokens/token.types.ts';

export interface RepoLayout {
  tokensPath: string;
  componentsPath: string;
}

export interface ComponentSource {
  name: string;
  code: string;
  documentation: string;
}

const DEFAULT_FILE = 'tokens';

/** The set a token belongs to, or null. */
const setOf = (token: Token): string | null => {
  const set = token.$extensions?.[SET_EXTENSION];
  return typeof set === 'string' && set ? set : null;
};

/** The repository file a token is written to. */
export function tokenFileFor(token: Token, layout: RepoLayout): string {
  return `${layout.tokensPath}/${setOf(token) ?? DEFAULT_FILE}.json`;
}

/** Whether a repository path is one of the token files this layout reads. */
export function isTokenFile(path: string, layout: RepoLayout): boolean {
  return (
    path.startsWith(`${layout.tokensPath}/`) &&
    path.endsWith('.json') &&
    !path.slice(layout.tokensPath.length + 1).startsWith('$')
  );
}

/** The set a token file stands for (null for the default `tokens.json`). */
export function setForFile(path: string, layout: RepoLayout): string | null {
  const set = path.slice(layout.tokensPath.length + 1, -'.json'.length);
  return set === DEFAULT_FILE ? null : set;
}

/** A token without the set extension, which its file name carries. */
function withoutSet(token: Token): Token {
  if (!token.$extensions || !(SET_EXTENSION in token.$extensions)) return token;
  const { [SET_EXTENSION]: _set, ...rest } = token.$extensions;
  const { $extensions: _ext, ...plain } = token;
  return Object.keys(rest).length ? { ...plain, $extensions: rest } : plain;
}

/** A token read from a file, given the set its file stands for. */
export function withSet(token: Token, set: string | null): Token {
  if (!set) return token;
  return { ...token, $extensions: { ...token.$extensions, [SET_EXTENSION]: set } };
}

/** Group declarations that enclose some token of the file (the root one included). */
function groupsFor(tokens: TokenMap, groups: GroupMap): GroupMap {
  const used = new Set<string>(['']);
  for (const path of tokens.keys()) {
    const parts = path.split('.');
    for (let i = 1; i < parts.length; i++) used.add(parts.slice(0, i).join('.'));
  }
  return new Map([...groups].filter(([path]) => used.has(path)));
}

/** The token files of a design system: path → DTCG JSON. */
export function tokenFiles(tokens: TokenMap, groups: GroupMap, layout: RepoLayout): Map<string, string> {
  const byFile = new Map<string, TokenMap>();
  for (const [path, token] of tokens) {
    const file = tokenFileFor(token, layout);
    if (!byFile.has(file)) byFile.set(file, new Map());
    byFile.get(file)?.set(path, withoutSet(token));
  }
  const files = new Map<string, string>();
  for (const [file, subset] of [...byFile].sort(([a], [b]) => a.localeCompare(b))) {
    files.set(file, `${JSON.stringify(toDtcg(subset, groupsFor(subset, groups)), null, 2)}\n`);
  }
  return files;
}

/** The component source files: `<Name>.tsx`, `<Name>.md` when documented, and an `index.ts`. */
export function componentFiles(components: ComponentSource[], layout: RepoLayout): Map<string, string> {
  const files = new Map<string, string>();
  const sorted = [...components].sort((a, b) => a.name.localeCompare(b.name));
  for (const c of sorted) {
    files.set(`${layout.componentsPath}/${c.name}.tsx`, c.code.endsWith('\n') ? c.code : `${c.code}\n`);
    if (c.documentation.trim())
      files.set(
        `${layout.componentsPath}/${c.name}.md`,
        c.documentation.endsWith('\n') ? c.documentation : `${c.documentation}\n`,
      );
  }
  if (sorted.length)
    files.set(`${layout.componentsPath}/index.ts`, sorted.map((c) => `export * from './${c.name}';\n`).join(''));
  return files;
}

/** Whether a path in the repository is one Ensemble writes, so a push may delete it when it is gone here. */
export function isManaged(path: string, layout: RepoLayout): boolean {
  if (isTokenFile(path, layout)) return true;
  const rest = path.startsWith(`${layout.componentsPath}/`) ? path.slice(layout.componentsPath.length + 1) : null;
  return rest !== null && !rest.includes('/') && (rest === 'index.ts' || /\.(tsx|md)$/.test(rest));
}
