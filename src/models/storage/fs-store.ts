// The embedded object store: one file per object under a folder, for single-node installs with no S3.
//
// Layout: key `a/b/logo.svg` is the file `<root>/a/b/logo.svg@o`. Segments are stored as-is except
// that '%' and '@' are percent-encoded, so '@' marks our own names: object files end in '@o',
// temporary files live in `<root>/@tmp`, and no key can collide with either or with another key
// (`a/b` and `a/b/c` coexist, as in S3). Each file starts with a small header (4-byte big-endian
// length, then JSON with the content type and ETag) before the body, so the content type and the
// bytes are replaced together by a single rename: readers never see one without the other.
import { createHash, randomUUID } from 'node:crypto';
import { mkdir, open, readdir, rename, rmdir, stat, unlink } from 'node:fs/promises';
import type { Dirent } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import { dirname, join, resolve, sep } from 'node:path';
import { AppError } from '../../utils/errors.ts';
import { assertDeletablePrefix, assertSafeKey, assertSafePrefix } from './object-store.ts';
import type { ObjectBody, ObjectStore, StoredObject } from './object-store.ts';

interface Header {
  contentType: string;
  etag: string;
}

const OBJECT_SUFFIX = '@o';
const TMP_DIR = '@tmp';
const MAX_NAME_BYTES = 255; // NAME_MAX on Linux and macOS
const MAX_HEADER_BYTES = 64 * 1024;
const STALE_TMP_MS = 60 * 60 * 1000;

const encodeSegment = (s: string) => s.replace(/%/g, '%25').replace(/@/g, '%40');
const decodeSegment = (s: string) => s.replace(/%40/g, '@').replace(/%25/g, '%');
const errno = (err: unknown) => (err as NodeJS.ErrnoException | null)?.code;
// ENOTDIR: a path through something that is not a folder, which for us is also "no such object".
const missing = (err: unknown) => errno(err) === 'ENOENT' || errno(err) === 'ENOTDIR';
const byKey = (a: { key: string }, b: { key: string }) => Buffer.compare(Buffer.from(a.key), Buffer.from(b.key));

async function readHeader(handle: FileHandle): Promise<{ header: Header; bodyStart: number }> {
  const len = Buffer.alloc(4);
  await handle.read(len, 0, 4, 0);
  const headerBytes = len.readUInt32BE(0);
  if (headerBytes > MAX_HEADER_BYTES) throw new Error('Corrupt object file header');
  const raw = Buffer.alloc(headerBytes);
  await handle.read(raw, 0, headerBytes, 4);
  return { header: JSON.parse(raw.toString('utf8')) as Header, bodyStart: 4 + headerBytes };
}

/** A store that keeps objects as files under `rootDir` (created on first use). */
export function createFilesystemStore(rootDir: string): ObjectStore {
  const root = resolve(rootDir);
  const tmpDir = join(root, TMP_DIR);
  let prepared: Promise<void> | null = null;
  const prepare = () => {
    prepared ??= mkdir(tmpDir, { recursive: true }).then(
      () => undefined,
      (err: unknown) => {
        prepared = null;
        throw err;
      },
    );
    return prepared;
  };

  function pathOf(key: string): string {
    assertSafeKey(key);
    const names = key.split('/').map(encodeSegment);
    names[names.length - 1] += OBJECT_SUFFIX;
    if (names.some((n) => Buffer.byteLength(n) > MAX_NAME_BYTES)) {
      throw new AppError('validation_failed', 'Unsafe object key: a path segment is too long for the filesystem store');
    }
    const path = join(root, ...names);
    // Defence in depth: assertSafeKey already refuses everything that could leave the root.
    if (!path.startsWith(root + sep)) throw new AppError('validation_failed', 'Unsafe object key');
    return path;
  }

  /** Removes now-empty folders from `dir` up to (not including) the root. */
  async function prune(dir: string): Promise<void> {
    while (dir.startsWith(root + sep)) {
      try {
        await rmdir(dir);
      } catch {
        return; // not empty (ENOTEMPTY/EEXIST), already gone, or in use: stop
      }
      dir = dirname(dir);
    }
  }

  /** The file opened for reading, or null when there is none. */
  async function openIfExists(path: string): Promise<FileHandle | null> {
    try {
      return await open(path, 'r');
    } catch (err) {
      if (missing(err)) return null;
      throw err;
    }
  }

  async function statObject(key: string, path: string): Promise<StoredObject | null> {
    const handle = await openIfExists(path);
    if (!handle) return null;
    try {
      const { header, bodyStart } = await readHeader(handle);
      const info = await handle.stat();
      return {
        key,
        size: info.size - bodyStart,
        contentType: header.contentType,
        etag: header.etag,
        lastModified: new Date(info.mtimeMs),
      };
    } finally {
      await handle.close();
    }
  }

  /** Keys (with their paths) of every object under `prefix`, found by walking only the folders it names. */
  async function walk(prefix: string): Promise<{ key: string; path: string }[]> {
    const folders = prefix.split('/').slice(0, -1);
    const found: { key: string; path: string }[] = [];
    const visit = async (dir: string, keyPrefix: string): Promise<void> => {
      let entries: Dirent[];
      try {
        entries = await readdir(dir, { withFileTypes: true });
      } catch (err) {
        if (missing(err)) return;
        throw err;
      }
      for (const entry of entries) {
        const path = join(dir, entry.name);
        if (entry.isDirectory() && !entry.name.includes('@')) {
          const sub = `${keyPrefix}${decodeSegment(entry.name)}/`;
          // Only descend where keys can still start with the prefix.
          if (sub.startsWith(prefix) || prefix.startsWith(sub)) await visit(path, sub);
        } else if (entry.isFile() && entry.name.endsWith(OBJECT_SUFFIX)) {
          const key = keyPrefix + decodeSegment(entry.name.slice(0, -OBJECT_SUFFIX.length));
          if (key.startsWith(prefix)) found.push({ key, path });
        }
      }
    };
    await visit(join(root, ...folders.map(encodeSegment)), folders.map((f) => `${f}/`).join(''));
    return found.sort(byKey);
  }

  async function removeFile(path: string): Promise<boolean> {
    try {
      await unlink(path);
    } catch (err) {
      if (missing(err)) return false;
      throw err;
    }
    await prune(dirname(path));
    return true;
  }

  return {
    kind: 'filesystem',

    async put(key, body, contentType) {
      const path = pathOf(key);
      await prepare();
      const header: Header = { contentType, etag: createHash('md5').update(body).digest('hex') };
      const headerJson = Buffer.from(JSON.stringify(header), 'utf8');
      const len = Buffer.alloc(4);
      len.writeUInt32BE(headerJson.length, 0);

      const tmp = join(tmpDir, randomUUID());
      const handle = await open(tmp, 'wx');
      try {
        await handle.writev([len, headerJson, body]);
        await handle.sync(); // the rename must not outlive the data in a crash
      } catch (err) {
        await handle.close();
        await unlink(tmp).catch(() => undefined);
        throw err;
      }
      await handle.close();

      try {
        // A concurrent delete may prune the folder between mkdir and rename: try again.
        for (let attempt = 1; ; attempt++) {
          await mkdir(dirname(path), { recursive: true });
          try {
            await rename(tmp, path);
            break;
          } catch (err) {
            if (errno(err) !== 'ENOENT' || attempt >= 3) throw err;
          }
        }
      } catch (err) {
        await unlink(tmp).catch(() => undefined);
        throw err;
      }
      const info = await stat(path).catch(() => null);
      return {
        key,
        size: body.length,
        contentType,
        etag: header.etag,
        ...(info ? { lastModified: new Date(info.mtimeMs) } : {}),
      };
    },

    async get(key): Promise<ObjectBody | null> {
      const handle = await openIfExists(pathOf(key));
      if (!handle) return null;
      // Reading through the open handle keeps this version even if it is replaced or deleted now.
      try {
        const { header, bodyStart } = await readHeader(handle);
        const info = await handle.stat();
        const body = handle.createReadStream({ start: bodyStart, autoClose: true });
        return { body, size: info.size - bodyStart, contentType: header.contentType };
      } catch (err) {
        await handle.close();
        throw err;
      }
    },

    async head(key) {
      return statObject(key, pathOf(key));
    },

    async delete(key) {
      await removeFile(pathOf(key));
    },

    async deletePrefix(prefix) {
      assertDeletablePrefix(prefix);
      let count = 0;
      for (const { path } of await walk(prefix)) if (await removeFile(path)) count++;
      return count;
    },

    async list(prefix) {
      assertSafePrefix(prefix);
      const objects: StoredObject[] = [];
      for (const { key, path } of await walk(prefix)) {
        const object = await statObject(key, path);
        if (object) objects.push(object); // deleted since the walk: skip it
      }
      return objects;
    },

    async ready() {
      await prepare();
      // Prove the folder is writable, and sweep temp files a crash left behind.
      const probe = join(tmpDir, `ready-${randomUUID()}`);
      const handle = await open(probe, 'wx');
      await handle.close();
      await unlink(probe);
      const now = Date.now();
      for (const name of await readdir(tmpDir)) {
        const info = await stat(join(tmpDir, name)).catch(() => null);
        if (info && now - info.mtimeMs > STALE_TMP_MS) await unlink(join(tmpDir, name)).catch(() => undefined);
      }
    },
  };
}
