// Live rules of tokens documents: every changed token is a map of DTCG fields with a legal path, a
// value valid for its type and aliases that resolve without cycles; a token others refer to is not
// deleted; groups and themes hold plain JSON. The same validation as REST writes and imports.
import * as Y from 'yjs';
import { AppError } from '../../../utils/errors.ts';
import { MAX_PAYLOAD_DEPTH, measurePayload } from '../../../utils/payload-shape.ts';
import { fallbackProblem, tokenReferences } from '../../tokens/modes.ts';
import type { TokenMap, TokenProblem } from '../../tokens/token.types.ts';
import { validateTokens } from '../../tokens/validate.ts';
import { readModeFallbacks, readTokens, TOKEN_FIELDS } from '../tokens-doc.ts';
import type { SharedType } from '../trial.ts';
import { foreignRoots, type LiveRules } from './live-rules.ts';

const LAYOUT = new Set(['tokens', 'groups', 'themes', 'modeFallbacks']);
const FIELDS = new Set<string>(TOKEN_FIELDS);

const invalid = (problems: TokenProblem[]) =>
  new AppError('invalid_tokens', `${problems.length} problem(s) found; the edit was reverted`, problems);

/** Problems of entries that are not token maps of known fields holding plain JSON. */
function shapeProblems(tokensMap: Y.Map<unknown>, paths: Iterable<string>): TokenProblem[] {
  const problems: TokenProblem[] = [];
  for (const path of paths) {
    const entry = tokensMap.get(path);
    if (entry === undefined) continue;
    if (!(entry instanceof Y.Map)) {
      problems.push({
        path,
        code: 'invalid_value',
        message: 'a token is a map of $value, $type, $description, $extensions, $deprecated, modes',
      });
      continue;
    }
    for (const [field, value] of entry) {
      if (!FIELDS.has(field)) problems.push({ path, code: 'invalid_value', message: `unknown token field ${field}` });
      else if (value instanceof Y.AbstractType || measurePayload(value, { maxDepth: MAX_PAYLOAD_DEPTH }).exceeded) {
        problems.push({
          path,
          code: 'invalid_value',
          message: `${field} must be plain JSON nested at most ${MAX_PAYLOAD_DEPTH} levels`,
        });
      }
    }
  }
  return problems;
}

/** Mode fallbacks name legal modes by strings, without cycles (as REST's PUT …/tokens/modes/:mode). */
function fallbackRules(fallbacks: Record<string, unknown>): void {
  for (const [mode, fallback] of Object.entries(fallbacks)) {
    const problem =
      typeof fallback !== 'string'
        ? `the fallback of ${mode} must be a mode name`
        : fallbackProblem(mode, fallback, fallbacks as Record<string, string>);
    if (problem) throw new AppError('validation_failed', `Mode ${mode}: ${problem}`);
  }
}

/** The live rules of `tokens:<designSystemId>` documents. */
export function tokensRules(): LiveRules {
  return {
    layout(doc) {
      doc.getMap('tokens');
      doc.getMap('groups');
      doc.getArray('themes');
      doc.getMap('modeFallbacks');
    },
    watch(doc) {
      return [
        doc.getMap('tokens'),
        doc.getMap('groups'),
        doc.getArray('themes'),
        doc.getMap('modeFallbacks'),
        ...foreignRoots(doc, LAYOUT),
      ];
    },
    check(doc, changes) {
      for (const type of foreignRoots(doc, LAYOUT)) {
        if (changes.touched(type))
          throw new AppError(
            'validation_failed',
            'A tokens document holds tokens, groups, themes and mode fallbacks only',
          );
      }
      if (changes.touched(doc.getMap('modeFallbacks'))) fallbackRules(readModeFallbacks(doc));
      for (const root of [doc.getMap('groups'), doc.getArray('themes')] as SharedType[]) {
        if (changes.touched(root) && measurePayload(root.toJSON(), { maxDepth: MAX_PAYLOAD_DEPTH }).exceeded) {
          throw new AppError('validation_failed', `Groups and themes may nest at most ${MAX_PAYLOAD_DEPTH} levels`);
        }
      }
      const tokensMap = doc.getMap<unknown>('tokens');
      if (!changes.touched(tokensMap)) return;
      const changed = new Set(changes.keys(tokensMap));
      for (const [path, entry] of tokensMap)
        if (entry instanceof Y.AbstractType && changes.touched(entry)) changed.add(path);
      const shape = shapeProblems(tokensMap, changed);
      if (shape.length) throw invalid(shape);
      const all = readTokens(doc);
      const edited: TokenMap = new Map();
      const others: TokenMap = new Map(all);
      for (const path of changed) {
        const token = all.get(path);
        if (!token) continue;
        edited.set(path, token);
        others.delete(path);
      }
      const problems = validateTokens(edited, others);
      // A deleted token must not leave aliases pointing at nothing.
      for (const path of changed) {
        if (all.has(path)) continue;
        for (const [referrer, token] of all) {
          if (tokenReferences(token).includes(path))
            problems.push({
              path: referrer,
              code: 'broken_alias',
              message: `{${path}} was deleted but ${referrer} refers to it`,
            });
        }
      }
      if (problems.length) throw invalid(problems);
    },
  };
}
