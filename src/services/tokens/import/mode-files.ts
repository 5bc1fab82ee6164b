// DTCG (or any format's) files per mode: a file imported with `mode: "dark"` holds the dark values of
// tokens the default files (or the stored tokens) define. Each of its tokens that differs from the
// default becomes that token's `modes.dark`; it never overwrites the default value. A token only a
// mode file defines has no default to differ from, and is refused.
import { PROPS_EXTENSION, type Token, type TokenMap, type TokenProblem } from '../token.types.ts';
import { isRecord } from '../values.ts';

/** The entry a mode file's token makes: its value, with its `alpha` (Primer's override form) when it has one. */
function modeEntry(token: Token): unknown {
  const props = token.$extensions?.[PROPS_EXTENSION];
  return isRecord(props) && Object.keys(props).length > 0 ? { $value: token.$value, ...props } : token.$value;
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/**
 * Records `modeTokens` as `mode` values of `tokens` (the import's default tokens, copied from
 * `existing` when only stored there). Returns the problems: tokens without a default.
 */
export function mergeModeTokens(
  tokens: TokenMap,
  existing: TokenMap | undefined,
  mode: string,
  modeTokens: TokenMap,
): TokenProblem[] {
  const problems: TokenProblem[] = [];
  for (const [path, modeToken] of modeTokens) {
    const base = tokens.get(path) ?? existing?.get(path);
    if (!base) {
      problems.push({
        path,
        code: 'missing_value',
        message: `defined only in mode ${mode}; a mode file gives other values of tokens the default files define`,
      });
      continue;
    }
    const entry = modeEntry(modeToken);
    const modes = { ...base.modes };
    if (same(entry, modeEntry(base))) delete modes[mode];
    else modes[mode] = entry;
    const next: Token = { ...base, modes };
    if (Object.keys(modes).length === 0) delete next.modes;
    tokens.set(path, next);
  }
  return problems;
}
