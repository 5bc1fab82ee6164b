// The object store on any S3-compatible service (AWS S3, MinIO, R2, ...) through the `minio` client.
// The bucket is created on first use if it is missing, so a fresh MinIO needs no manual setup.
import type { IncomingHttpHeaders } from 'node:http';
import { Client } from 'minio';
import type { BucketItem } from 'minio';
import { assertDeletablePrefix, assertSafeKey, assertSafePrefix } from './object-store.ts';
import type { ObjectBody, ObjectStore, StoredObject } from './object-store.ts';

export interface S3Options {
  endPoint: string;
  port?: number;
  useSSL?: boolean;
  accessKey: string;
  secretKey: string;
  bucket: string;
  /** Defaults to us-east-1; giving it saves a bucket-location lookup per request. */
  region?: string;
  /** How long `ready()` waits before calling the store unreachable. Default 5 s. */
  readyTimeoutMs?: number;
}

const DEFAULT_CONTENT_TYPE = 'application/octet-stream';
// statObject answers a missing key with NotFound (a HEAD has no body); getObject with NoSuchKey.
const MISSING = new Set(['NotFound', 'NoSuchKey']);
// A listing has no content types, so list() asks for each object's, this many at a time.
const HEAD_CONCURRENCY = 8;

const errorCode = (err: unknown) => (err as { code?: unknown } | null)?.code;
const isMissing = (err: unknown) => MISSING.has(String(errorCode(err)));

function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not answer within ${ms} ms`)), ms);
    timer.unref();
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

async function mapLimited<T, R>(items: T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const lane = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane));
  return results;
}

/** A store in one bucket of an S3-compatible service. */
export function createS3Store(options: S3Options): ObjectStore {
  const { bucket, region = 'us-east-1', readyTimeoutMs = 5000 } = options;
  const client = new Client({
    endPoint: options.endPoint,
    ...(options.port !== undefined ? { port: options.port } : {}),
    useSSL: options.useSSL ?? true,
    accessKey: options.accessKey,
    secretKey: options.secretKey,
    region,
  });

  async function createBucketIfMissing(): Promise<void> {
    if (await client.bucketExists(bucket)) return;
    try {
      await client.makeBucket(bucket, region);
    } catch (err) {
      // Another node created it between our check and our request.
      if (errorCode(err) !== 'BucketAlreadyOwnedByYou') throw err;
    }
  }

  // Checked once per process; a failure is forgotten so the next call tries again.
  let bucketReady: Promise<void> | null = null;
  const ensureBucket = () => {
    bucketReady ??= createBucketIfMissing().catch((err: unknown) => {
      bucketReady = null;
      throw err;
    });
    return bucketReady;
  };

  function listItems(prefix: string): Promise<{ name: string; size: number; etag: string; lastModified: Date }[]> {
    return new Promise((resolve, reject) => {
      const items: { name: string; size: number; etag: string; lastModified: Date }[] = [];
      const stream = client.listObjectsV2(bucket, prefix, true);
      stream.on('data', (item: BucketItem) => {
        if (item.name !== undefined) items.push(item);
      });
      stream.on('error', reject);
      stream.on('end', () => resolve(items));
    });
  }

  async function head(key: string): Promise<StoredObject | null> {
    try {
      const stat = await client.statObject(bucket, key);
      const contentType = stat.metaData['content-type'];
      return {
        key,
        size: stat.size,
        contentType: typeof contentType === 'string' ? contentType : DEFAULT_CONTENT_TYPE,
        etag: stat.etag,
        lastModified: stat.lastModified,
      };
    } catch (err) {
      if (isMissing(err)) return null;
      throw err;
    }
  }

  return {
    kind: 's3',

    async put(key, body, contentType) {
      assertSafeKey(key);
      await ensureBucket();
      const { etag } = await client.putObject(bucket, key, body, body.length, { 'Content-Type': contentType });
      return { key, size: body.length, contentType, etag };
    },

    async get(key): Promise<ObjectBody | null> {
      assertSafeKey(key);
      await ensureBucket();
      let body: Awaited<ReturnType<Client['getObject']>>;
      try {
        body = await client.getObject(bucket, key);
      } catch (err) {
        if (isMissing(err)) return null;
        throw err;
      }
      // getObject resolves to the HTTP response, whose headers describe exactly this version of
      // the object; a separate statObject could see a newer one.
      const headers = (body as { headers?: IncomingHttpHeaders }).headers;
      const size = Number(headers?.['content-length']);
      if (headers && Number.isFinite(size)) {
        return { body, size, contentType: headers['content-type'] ?? DEFAULT_CONTENT_TYPE };
      }
      const info = await head(key);
      if (!info) {
        body.destroy();
        return null;
      }
      return { body, size: info.size, contentType: info.contentType };
    },

    async head(key) {
      assertSafeKey(key);
      await ensureBucket();
      return head(key);
    },

    async delete(key) {
      assertSafeKey(key);
      await ensureBucket();
      try {
        await client.removeObject(bucket, key); // S3 answers 204 for a missing key too
      } catch (err) {
        if (!isMissing(err)) throw err;
      }
    },

    async deletePrefix(prefix) {
      assertDeletablePrefix(prefix);
      await ensureBucket();
      const keys = (await listItems(prefix)).map((item) => item.name);
      // The client sends these in requests of at most 1000 keys (S3's DeleteObjects limit).
      const results = keys.length ? await client.removeObjects(bucket, keys) : [];
      const failed = results.filter((r) => r?.Error && !MISSING.has(r.Error.Code ?? ''));
      if (failed.length) {
        throw new Error(
          `Could not delete ${failed.length} of ${keys.length} objects under ${prefix}: ${failed[0]?.Error?.Code}`,
        );
      }
      return keys.length;
    },

    async list(prefix) {
      assertSafePrefix(prefix);
      await ensureBucket();
      const items = await listItems(prefix);
      const objects = await mapLimited(items, HEAD_CONCURRENCY, async (item) => {
        const info = await head(item.name);
        // Deleted since the listing: leave it out.
        return info;
      });
      return objects.filter((o): o is StoredObject => o !== null);
    },

    async ready() {
      await withTimeout(createBucketIfMissing(), readyTimeoutMs, `S3 endpoint ${options.endPoint}`);
      bucketReady = Promise.resolve();
    },
  };
}
