// Validation of a token map: names, aliases (broken, cycles) and values per type. Every problem is
// reported with its token path; nothing stops at the first one. Used by import and by single-token
// writes (pass the stored tokens as `existing`).
import { aliasCycles } from './alias-cycles.ts';
import { aliasTarget, effectiveType, lookupIn, referencesIn } from './aliases.ts';
import { isComputed } from './export/computed.ts';
import { cssValue, TokenExportError } from './export/css-values.ts';
import { modeShapeProblems, tokenInMode } from './modes.ts';
import type { Token, TokenMap, TokenProblem } from './token.types.ts';
import { checkValue, isRecord, KNOWN_TYPES } from './values.ts';

/** Keys that can reach `Object.prototype` when copied naively. */
export const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/** Why a path segment is not a legal token or group name, or undefined when it is. */
export function illegalSegment(segment: string): string | undefined {
  if (segment === '') return 'empty name segment';
  if (segment.startsWith('$') && segment !== '$root') return `"${segment}" starts with $ but is not a DTCG property`;
  if (/[{}.]/.test(segment)) return `"${segment}" contains {, } or .`;
  return undefined;
}

/**
 * Checks a member of a token group while importing: it needs a legal name and must be an object
 * (a token or a group). Reports the problem and returns false otherwise. `valueKey` names the
 * format's value property (`$value` or `value`) in the message.
 */
export function checkGroupMember(
  key: string,
  child: unknown,
  path: string,
  file: string,
  problems: TokenProblem[],
  valueKey: string,
): child is Record<string, unknown> {
  const reason = illegalSegment(key);
  if (reason) {
    problems.push({ path, file, code: 'illegal_name', message: reason });
    return false;
  }
  if (!isRecord(child)) {
    problems.push({ path, file, code: 'missing_value', message: `neither a token (no ${valueKey}) nor a group` });
    return false;
  }
  return true;
}

/** Paths (relative to `base`) of forbidden keys anywhere inside a value. */
function forbiddenKeysIn(value: unknown, base: string, found: string[] = []): string[] {
  if (Array.isArray(value)) {
    value.forEach((item, i) => {
      forbiddenKeysIn(item, `${base}[${i}]`, found);
    });
  } else if (isRecord(value)) {
    for (const key of Object.keys(value)) {
      if (FORBIDDEN_KEYS.has(key)) found.push(`${base}.${key}`);
      else forbiddenKeysIn(value[key], `${base}.${key}`, found);
    }
  }
  return found;
}

export interface ValidateOptions {
  /** Alias targets known to exist elsewhere (e.g. tokens waiting for a set choice): not reported as broken. */
  pendingTargets?: Set<string>;
}

/** Every problem in `tokens`; aliases may also point into `existing`. */
export function validateTokens(tokens: TokenMap, existing?: TokenMap, options: ValidateOptions = {}): TokenProblem[] {
  const problems: TokenProblem[] = [];
  const lookup = lookupIn(tokens, existing);
  const groups = groupPaths(tokens, existing);
  const cycles = aliasCycles(tokens.keys(), lookup);

  for (const [path, token] of tokens) {
    problems.push(...nameProblems(path));
    for (const keyPath of forbiddenKeysIn(token as unknown, path)) {
      problems.push({ path, code: 'forbidden_key', message: `forbidden key at ${keyPath}` });
    }
    if (token.$value === undefined || token.$value === null) {
      problems.push({ path, code: 'missing_value', message: 'token has no $value' });
      continue;
    }
    const referenceProblems = aliasProblems(path, token, lookup, groups, options.pendingTargets, cycles);
    problems.push(...referenceProblems);
    if (referenceProblems.length > 0) continue;
    // Tokens Studio maths and colour modifiers: evaluated now, so mistakes are refused at import.
    const type = effectiveType(token, lookup);
    if (isComputed(token, type)) {
      problems.push(...writeProblems(path, token, lookup));
      continue;
    }
    if (aliasTarget(token.$value) !== undefined) continue;
    // A string with embedded references is an expression; only its references can be checked.
    if (typeof token.$value === 'string' && referencesIn(token.$value).length > 0) continue;
    const error = checkValue(type, token.$value);
    if (error) problems.push({ path, code: 'invalid_value', message: `${token.$type ?? 'value'}: ${error}` });
    // A composite whose parts refer to tokens or compute: writing it is the check of those parts.
    else if (isRecord(token.$value) || Array.isArray(token.$value))
      problems.push(...writeProblems(path, token, lookup));
  }
  problems.push(...modeProblems(tokens, existing, options));
  return problems;
}

/**
 * Each mode's values checked like default ones, in the mode's view of the map: an alias in `dark`
 * must resolve (without cycles) among the dark values, and a dark colour must be a colour.
 */
function modeProblems(tokens: TokenMap, existing: TokenMap | undefined, options: ValidateOptions): TokenProblem[] {
  const problems: TokenProblem[] = [];
  const modes = new Set<string>();
  for (const [path, token] of tokens) {
    const shape = modeShapeProblems(path, token);
    problems.push(...shape);
    if (shape.length === 0) for (const mode of Object.keys(token.modes ?? {})) modes.add(mode);
  }
  for (const mode of modes) {
    const edited: TokenMap = new Map();
    for (const [path, token] of tokens)
      if (token.modes && Object.hasOwn(token.modes, mode)) edited.set(path, tokenInMode(token, mode));
    const others: TokenMap = new Map();
    for (const [path, token] of existing ?? []) others.set(path, tokenInMode(token, mode));
    for (const [path, token] of tokens) if (!edited.has(path)) others.set(path, tokenInMode(token, mode));
    for (const problem of validateTokens(edited, others, options)) {
      // Names were checked with the default values.
      if (problem.code === 'illegal_name' || problem.code === 'forbidden_key') continue;
      problems.push({ ...problem, message: `mode ${mode}: ${problem.message}` });
    }
  }
  return problems;
}

/** What writing the token as CSS reports (a sub-value that does not compute, an alias to a non-colour…). */
function writeProblems(path: string, token: Token, lookup: (path: string) => Token | undefined): TokenProblem[] {
  const references = referencesIn(token.$value);
  // Tokens of sets not chosen (Spectrum) are not here to write with; their links were checked already.
  if (references.some((target) => !lookup(target))) return [];
  if (references.length === 0 && !isComputed(token, effectiveType(token, lookup))) {
    const studio = JSON.stringify(token.$value);
    if (!/rgba\(|[*/+]|\s-\s/.test(studio)) return [];
  }
  try {
    cssValue(token, { lookup });
    return [];
  } catch (err) {
    if (!(err instanceof TokenExportError)) throw err;
    return [{ path, code: 'invalid_value', message: err.message }];
  }
}

function nameProblems(path: string): TokenProblem[] {
  const problems: TokenProblem[] = [];
  for (const segment of path.split('.')) {
    if (FORBIDDEN_KEYS.has(segment))
      problems.push({ path, code: 'forbidden_key', message: `"${segment}" may not be used as a name` });
    else {
      const reason = illegalSegment(segment);
      if (reason) problems.push({ path, code: 'illegal_name', message: reason });
    }
  }
  return problems;
}

/** Every group path (a proper prefix of some token path), to explain aliases that point at a group. */
function groupPaths(...maps: (TokenMap | undefined)[]): Set<string> {
  const groups = new Set<string>();
  for (const map of maps) {
    for (const path of map?.keys() ?? []) {
      const segments = path.split('.');
      for (let i = 1; i < segments.length; i++) groups.add(segments.slice(0, i).join('.'));
    }
  }
  return groups;
}

function aliasProblems(
  path: string,
  token: Token,
  lookup: (path: string) => Token | undefined,
  groups: Set<string>,
  pending: Set<string> | undefined,
  cycles: Map<string, string[]>,
): TokenProblem[] {
  const problems: TokenProblem[] = [];
  for (const target of new Set(referencesIn(token.$value))) {
    if (lookup(target)) continue;
    if (pending?.has(target)) continue;
    const message = groups.has(target) ? `{${target}} points at a group, not a token` : `{${target}} does not exist`;
    problems.push({ path, code: 'broken_alias', message });
  }
  if (problems.length > 0) return problems;
  const cycle = cycles.get(path);
  if (cycle) {
    // A long cycle is named by its ends: every token on it reports its own, so the whole is there.
    const shown =
      cycle.length > 12 ? [...cycle.slice(0, 6), `… ${cycle.length - 11} more …`, ...cycle.slice(-5)] : cycle;
    problems.push({ path, code: 'alias_cycle', message: `alias cycle: ${shown.join(' → ')}` });
  }
  return problems;
}

/**
 * Tokens whose `$type` is not one of DTCG's are kept, written as they are, with a warning: real
 * files carry their own (Primer's `custom-viewportRange`, Spectrum's `text-transform`, Tokens
 * Studio's `textCase`), and refusing them would refuse those files. Their values are not checked.
 */
export function unknownTypes(tokens: TokenMap): TokenProblem[] {
  const warnings: TokenProblem[] = [];
  for (const [path, token] of tokens) {
    if (token.$type !== undefined && !KNOWN_TYPES.has(token.$type)) {
      warnings.push({
        path,
        code: 'unknown_type',
        message: `$type "${token.$type}" is not a DTCG type; the value is kept and written as it is, unchecked`,
      });
    }
  }
  return warnings;
}
