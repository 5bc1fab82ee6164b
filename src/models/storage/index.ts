// Picks the object store: S3 when configured, otherwise files under the data folder.
import { join } from 'node:path';
import { createFilesystemStore } from './fs-store.ts';
import type { ObjectStore } from './object-store.ts';
import { createS3Store } from './s3-store.ts';
import type { S3Options } from './s3-store.ts';

export { assertDeletablePrefix, assertSafeKey, assertSafePrefix, MAX_KEY_BYTES } from './object-store.ts';
export type { ObjectBody, ObjectStore, StoredObject } from './object-store.ts';
export type { S3Options } from './s3-store.ts';
export { createFilesystemStore, createS3Store };

export interface ObjectStoreOptions {
  s3?: S3Options | undefined;
  dataDir: string;
}

/** The S3 store when `s3` is given, else the filesystem store under `${dataDir}/objects`. */
export function createObjectStore(options: ObjectStoreOptions): ObjectStore {
  return options.s3 ? createS3Store(options.s3) : createFilesystemStore(join(options.dataDir, 'objects'));
}
