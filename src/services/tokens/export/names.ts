// Output names from token paths, per platform. CSS-like names join the path with `-` and keep each
// segment's case, as Primer's dist/css does (`control.minTarget.fine` → `control-minTarget-fine`), and
// keep Unicode letters, which custom properties allow (`Primär`). JavaScript and Swift identifiers
// allow Unicode letters too; Android resource names are ASCII, so letters are transliterated
// (`ä` → `a`) and anything left is written as `u` + its code point. A name that would be a reserved
// word of its language gets a leading `_` (`new` → `_new`). Two paths with one name are refused by
// name-collisions.ts, never written twice.

const WORDS = /[^\p{L}\p{Nd}]+/u;
/** Segments seen, with their words: a path's segments recur across paths and five platforms' namers. */
const wordsOf = new Map<string, readonly string[]>();
const WORDS_CACHED = 100_000;

/** The letter and digit runs of a path segment; everything else separates words. Shared: do not mutate. */
export function words(segment: string): readonly string[] {
  let found = wordsOf.get(segment);
  if (found === undefined) {
    if (wordsOf.size >= WORDS_CACHED) wordsOf.clear();
    found = segment.split(WORDS).filter(Boolean);
    wordsOf.set(segment, found);
  }
  return found;
}

// ECMAScript reserved words, the strict-mode ones (modules are strict), and `eval`/`arguments`.
const JS_RESERVED = new Set(
  (
    'break case catch class const continue debugger default delete do else enum export extends false finally for ' +
    'function if import in instanceof new null return super switch this throw true try typeof var void while with ' +
    'yield let static implements interface package private protected public await eval arguments'
  ).split(' '),
);
/** TypeScript adds its type keywords, and our TS file declares `tokens` and `TokenName` itself. */
const TS_RESERVED = new Set([
  ...JS_RESERVED,
  'any',
  'boolean',
  'number',
  'string',
  'symbol',
  'never',
  'unknown',
  'object',
  'type',
  'tokens',
  'TokenName',
]);
const SWIFT_RESERVED = new Set(
  (
    'associatedtype class deinit enum extension fileprivate func import init inout internal let open operator private ' +
    'precedencegroup protocol public rethrows static struct subscript typealias var break case catch continue default ' +
    'defer do else fallthrough for guard if in repeat return throw switch where while Any as await false is nil self ' +
    'Self super throws true try Type Protocol'
  ).split(' '),
);
// Android resource names become fields of R.color, R.dimen…: Java keywords are refused by aapt.
const JAVA_RESERVED = new Set(
  (
    'abstract assert boolean break byte case catch char class const continue default do double else enum extends ' +
    'final finally float for goto if implements import instanceof int interface long native new package private ' +
    'protected public return short static strictfp super switch synchronized this throw throws transient try void ' +
    'volatile while true false null'
  ).split(' '),
);

const escapeReserved = (name: string, reserved: Set<string>) => (reserved.has(name) ? `_${name}` : name);
const digitFirst = (name: string) => (/^\p{Nd}/u.test(name) ? `_${name}` : name);

/** `control.minTarget.fine` → `control-minTarget-fine` (with `prefix-` in front when given). */
export function kebabName(path: string, prefix?: string): string {
  const name = path
    .split('.')
    .map((segment) => words(segment).join('-'))
    .filter(Boolean)
    .join('-');
  return prefix ? `${prefix}-${name}` : name;
}

function camel(path: string, prefix?: string): string {
  const parts = [...(prefix ? [prefix] : []), ...path.split('.')].flatMap(words);
  return digitFirst(
    parts
      .map((part, i) => (i === 0 ? part.charAt(0).toLowerCase() : part.charAt(0).toUpperCase()) + part.slice(1))
      .join(''),
  );
}

/** A JavaScript identifier: `base.size.2` → `baseSize2`, `control.minTarget` → `controlMinTarget`, `new` → `_new`. */
export const camelName = (path: string, prefix?: string) => escapeReserved(camel(path, prefix), JS_RESERVED);
/** A TypeScript identifier: as JavaScript, and never one of the file's own declarations. */
export const tsName = (path: string, prefix?: string) => escapeReserved(camel(path, prefix), TS_RESERVED);
/** A Swift identifier (Swift allows Unicode letters). */
export const swiftName = (path: string, prefix?: string) => escapeReserved(camel(path, prefix), SWIFT_RESERVED);

/** ASCII for Android: accents dropped (`ä` → `a`, `ß` → `ss`), other letters as `u` + code point. */
function ascii(text: string): string {
  if (/^[A-Za-z0-9]*$/.test(text)) return text;
  return [...text.replace(/ß/g, 'ss').normalize('NFKD').replace(/\p{M}/gu, '')]
    .map((ch) => (/^[A-Za-z0-9]$/.test(ch) ? ch : `u${ch.codePointAt(0)!.toString(16)}`))
    .join('');
}

/** An Android resource name: lower snake case in ASCII (`control_min_target_fine`). */
export function snakeName(path: string, prefix?: string): string {
  const parts = [...(prefix ? [prefix] : []), ...path.split('.')].flatMap(words).map(ascii);
  const name = parts.map((part) => part.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase()).join('_');
  return escapeReserved(digitFirst(name), JAVA_RESERVED);
}
