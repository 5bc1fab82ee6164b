// The object store contract shared by the embedded filesystem store and the S3 store: design-system
// assets (icons, fonts, images) and published package tarballs live here, under keys the caller
// scopes per team (`teams/<teamId>/assets/<id>/<filename>`). Both stores validate every key.
import { AppError } from '../../utils/errors.ts';

/** What a store knows about one object without reading it. */
export interface StoredObject {
  key: string;
  size: number;
  contentType: string;
  etag?: string;
  lastModified?: Date;
}

/**
 * An object being read: size and type describe the same version the body streams. The caller must
 * read the body to its end or destroy it, or it holds a file handle / connection open.
 */
export interface ObjectBody {
  body: NodeJS.ReadableStream;
  size: number;
  contentType: string;
}

export interface ObjectStore {
  kind: 'filesystem' | 's3';
  /** Writes the whole object; readers see the old object or the new one, never a mix. */
  put(key: string, body: Buffer, contentType: string): Promise<StoredObject>;
  /** The object's content, or null when there is none. */
  get(key: string): Promise<ObjectBody | null>;
  head(key: string): Promise<StoredObject | null>;
  /** Removes the object; removing a missing one is not an error. */
  delete(key: string): Promise<void>;
  /**
   * Removes every object whose key starts with `prefix` and returns how many there were (a team's
   * files on deletion). The prefix must end with '/' so that `teams/ab/` never reaches `teams/abc/`.
   */
  deletePrefix(prefix: string): Promise<number>;
  /** Every object whose key starts with `prefix` (plain string prefix, as in S3), sorted by key. */
  list(prefix: string): Promise<StoredObject[]>;
  /** Resolves when the store can be written; throws when it is unreachable (used by /ready). */
  ready(): Promise<void>;
}

/** S3's limit on key length, applied to both stores so keys work the same everywhere. */
export const MAX_KEY_BYTES = 1024;

// C0 controls and DEL: NUL breaks file paths, and S3 cannot return most controls in XML listings.
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
const CONTROL = /[\u0000-\u001f\u007f]/;

const unsafe = (what: string, reason: string): AppError =>
  new AppError('validation_failed', `Unsafe object ${what}: ${reason}`, [
    { path: what, code: 'unsafe_key', message: reason },
  ]);

function check(value: string, what: 'key' | 'prefix'): void {
  if (typeof value !== 'string') throw unsafe(what, 'must be a string');
  if (Buffer.byteLength(value, 'utf8') > MAX_KEY_BYTES) throw unsafe(what, `longer than ${MAX_KEY_BYTES} bytes`);
  if (CONTROL.test(value)) throw unsafe(what, 'contains a control character');
  if (value.includes('\\')) throw unsafe(what, 'contains a backslash');
  if (value.startsWith('/')) throw unsafe(what, 'is an absolute path');
  const segments = value.split('/');
  // A prefix may end in '/' (its last segment is empty) or in a partial segment.
  const whole = what === 'prefix' ? segments.slice(0, -1) : segments;
  if (whole.some((s) => s === '')) throw unsafe(what, 'has an empty path segment');
  if (segments.some((s) => s === '.' || s === '..')) throw unsafe(what, "has a '.' or '..' segment");
}

/**
 * Refuses keys that could escape a folder or mean different things to different stores: empty,
 * longer than 1024 bytes, control characters (NUL included), backslashes, a leading '/', empty
 * segments ('a//b', a trailing '/'), and '.' or '..' segments. Throws AppError('validation_failed').
 */
export function assertSafeKey(key: string): void {
  if (key === '') throw unsafe('key', 'is empty');
  check(key, 'key');
}

/** The same rules for a listing prefix, which may be empty or end with '/'. */
export function assertSafePrefix(prefix: string): void {
  check(prefix, 'prefix');
}

/** deletePrefix's stricter rule: a non-empty prefix ending with '/', so it stops at a folder. */
export function assertDeletablePrefix(prefix: string): void {
  check(prefix, 'prefix');
  if (!prefix.endsWith('/')) throw unsafe('prefix', "must end with '/' to delete by prefix");
}
