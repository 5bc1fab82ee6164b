// The canonical token model: a flat map from dot path to a DTCG token. Everything imported is
// normalised into it, the tokens Yjs document stores it, and every export is produced from it.

/** One design token in DTCG form. `$value` may be an alias string `{path.to.token}`. */
export interface Token {
  $value: unknown;
  $type?: string;
  $description?: string;
  $extensions?: Record<string, unknown>;
  /** DTCG deprecation flag or explanation. */
  $deprecated?: boolean | string;
  /** Values per mode where they differ from `$value` (modes.ts): the value, or `{ $value, alpha? }`. */
  modes?: Record<string, unknown>;
}

/** Dot path (`color.brand.primary`) → token. Insertion order is kept. */
export type TokenMap = Map<string, Token>;

/** What a DTCG group itself declares (`$type` inherited by its tokens, a description, extensions). */
export interface TokenGroup {
  $type?: string;
  $description?: string;
  $extensions?: Record<string, unknown>;
  /** DTCG 2025.10 group inheritance: `{other.group}` or `#/other/group`, as written. */
  $extends?: string;
}

/** Group path (`''` for the document root) → what the group declares. Kept so DTCG round-trips exactly. */
export type GroupMap = Map<string, TokenGroup>;

/** Marks a token whose `$type` came from an enclosing group rather than the token itself. */
export const INHERITED_TYPE_EXTENSION = 'com.ensemble.inheritedType';

/** Marks a token a group inherited through `$extends`: the path of the token it inherited. */
export const EXTENDS_EXTENSION = 'com.ensemble.extendedFrom';

/** Marks a token whose aliases were written as JSON pointers (`{ "$ref": "#/a/b" }`), to write them back so. */
export const POINTER_EXTENSION = 'com.ensemble.jsonPointer';

/** A Tokens Studio theme: a name and which sets it enables. */
export interface TokenTheme {
  id?: string;
  name: string;
  group?: string;
  /** set name → 'enabled' | 'source' | 'disabled' */
  selectedTokenSets: Record<string, 'enabled' | 'source' | 'disabled'>;
}

/** One problem found in imported tokens, with where it is. */
export interface TokenProblem {
  /** Token path (or file path for file-level problems). */
  path: string;
  code:
    | 'invalid_json'
    | 'unknown_format'
    | 'illegal_name'
    | 'forbidden_key'
    | 'too_deep'
    | 'broken_alias'
    | 'alias_cycle'
    | 'invalid_value'
    | 'missing_value'
    | 'set_required'
    | 'conflict'
    | 'name_collision'
    | 'unknown_type'
    /** A token kept because other tokens still refer to it (a Figma re-import that would remove it). */
    | 'referenced';
  message: string;
  /** The file the problem came from, when there were several. */
  file?: string;
  /** Where in that file the token's key starts (1-based), when it could be found. */
  line?: number;
  column?: number;
}

/** The extension key under which a token remembers its Tokens Studio / Spectrum set. */
export const SET_EXTENSION = 'com.ensemble.set';

export type ImportFormat = 'dtcg' | 'tokens-studio' | 'style-dictionary';

export type ExportFormat = 'css' | 'scss' | 'less' | 'js' | 'ts' | 'json' | 'dtcg' | 'ios-swift' | 'android-xml';

/** Extension key holding a token's non-DTCG sibling properties (e.g. Primer's `alpha`), kept for round trips. */
export const PROPS_EXTENSION = 'com.ensemble.props';
