// Where each imported token came from, so that a later file redefining a token with another type is
// refused (a later file overrides an earlier one, but `color` becoming `dimension` is a mistake, not
// an override), and so that problems can name the file.
import type { Token, TokenMap, TokenProblem } from '../token.types.ts';

/** Token path → the file that (last) defined it. */
export type Origins = Map<string, string>;

/** Sets `path` to `token`, reporting a `$type` that contradicts the one an earlier file gave it. */
export function setToken(
  tokens: TokenMap,
  origins: Origins,
  path: string,
  token: Token,
  file: string,
  problems: TokenProblem[],
): void {
  const before = tokens.get(path);
  const earlier = origins.get(path);
  if (before?.$type && token.$type && before.$type !== token.$type && earlier !== undefined && earlier !== file) {
    problems.push({
      path,
      file,
      code: 'conflict',
      message: `$type "${token.$type}" in ${file} conflicts with $type "${before.$type}" in ${earlier}; a later file may override a value, not change its type`,
    });
  }
  tokens.set(path, token);
  origins.set(path, file);
}
