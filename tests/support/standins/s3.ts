// A real S3-compatible server for tests: s3rver in-process on 127.0.0.1, port 0, data in a temp folder.
import { mkdtemp, rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// s3rver is CommonJS without type declarations; this is the part of its API the stand-in uses.
interface S3rverInstance {
  run(): Promise<AddressInfo>;
  close(): Promise<void>;
  store: { deleteObject(bucket: string, key: string): Promise<void> };
}
type S3rverConstructor = new (options: {
  port: number;
  address: string;
  silent: boolean;
  directory: string;
  resetOnClose?: boolean;
  configureBuckets?: { name: string }[];
}) => S3rverInstance;

const S3rver = createRequire(import.meta.url)('s3rver') as S3rverConstructor;

export interface S3StandIn {
  endPoint: string;
  port: number;
  useSSL: false;
  /** s3rver accepts these fixed credentials. */
  accessKey: string;
  secretKey: string;
  close(): Promise<void>;
}

/** Starts s3rver; `buckets` are created up front (a store normally creates its own). */
export async function startS3StandIn(buckets: string[] = []): Promise<S3StandIn> {
  const directory = await mkdtemp(join(tmpdir(), 'ensemble-s3-'));
  const server = new S3rver({
    port: 0,
    address: '127.0.0.1',
    silent: true,
    directory,
    configureBuckets: buckets.map((name) => ({ name })),
  });
  serializeDeletes(server);
  const { port } = await server.run();
  return {
    endPoint: '127.0.0.1',
    port,
    useSSL: false,
    accessKey: 'S3RVER',
    secretKey: 'S3RVER',
    async close() {
      await server.close();
      await rm(directory, { recursive: true, force: true });
    },
  };
}

/**
 * s3rver 3.7 deletes a multi-object delete's keys concurrently, and each delete removes folders it
 * finds empty, so two keys under one folder race and the request fails with a 500 (ENOENT in
 * readdirSync). Real S3 has no folders; running s3rver's deletes one at a time removes the race.
 */
function serializeDeletes(server: S3rverInstance): void {
  const deleteObject = server.store.deleteObject.bind(server.store);
  let last: Promise<unknown> = Promise.resolve();
  server.store.deleteObject = (bucket, key) => {
    const run = last.then(() => deleteObject(bucket, key));
    last = run.catch(() => undefined);
    return run;
  };
}
