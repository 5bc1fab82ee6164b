import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createFilesystemStore } from '../../../../src/models/storage/fs-store.ts';
import { createObjectStore } from '../../../../src/models/storage/index.ts';
import type { ObjectStore } from '../../../../src/models/storage/object-store.ts';
import { objectStoreContract, readAll } from './contract.ts';

let dir: string;
let store: ObjectStore;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ensemble-fs-store-'));
  store = createFilesystemStore(join(dir, 'objects'));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function filesUnder(root: string): Promise<string[]> {
  const entries = await readdir(root, { recursive: true, withFileTypes: true });
  return entries.filter((e) => e.isFile()).map((e) => relative(root, join(e.parentPath, e.name)));
}

describe('filesystem object store', () => {
  it('is the filesystem kind', () => {
    expect(store.kind).toBe('filesystem');
  });

  objectStoreContract(() => store);

  it('keeps every file inside its root and leaves no temp files behind', async () => {
    await store.put('layout/a/b.txt', Buffer.from('b'), 'text/plain');
    const files = await filesUnder(dir);
    expect(files.every((f) => f.startsWith('objects/') && !f.startsWith('objects/@tmp/'))).toBe(true);
    expect(files).toContain('objects/layout/a/b.txt@o');
  });

  it('removes folders a delete leaves empty', async () => {
    await store.put('prune/x/y/z.txt', Buffer.from('z'), 'text/plain');
    await store.delete('prune/x/y/z.txt');
    expect(await readdir(join(dir, 'objects'))).not.toContain('prune');
  });

  it('keeps serving the version a reader opened while it is replaced', async () => {
    await store.put('race/file.bin', Buffer.from('first'), 'text/plain');
    const got = await store.get('race/file.bin');
    await store.put('race/file.bin', Buffer.from('second, longer'), 'text/plain');
    await store.delete('race/file.bin');
    expect((await readAll(got!.body)).toString()).toBe('first');
  });

  it('is not ready when its folder cannot be created', async () => {
    const blocker = join(dir, 'not-a-folder');
    await writeFile(blocker, 'x');
    await expect(createFilesystemStore(join(blocker, 'objects')).ready()).rejects.toThrow();
  });
});

describe('createObjectStore', () => {
  it('uses the filesystem under <dataDir>/objects when S3 is not configured', async () => {
    const dataDir = join(dir, 'data');
    const chosen = createObjectStore({ dataDir });
    expect(chosen.kind).toBe('filesystem');
    await chosen.put('k/v.txt', Buffer.from('v'), 'text/plain');
    expect(await filesUnder(join(dataDir, 'objects'))).toEqual(['k/v.txt@o']);
  });

  it('uses S3 when configured', () => {
    const chosen = createObjectStore({
      dataDir: dir,
      s3: { endPoint: '127.0.0.1', port: 9, useSSL: false, accessKey: 'a', secretKey: 'b', bucket: 'assets' },
    });
    expect(chosen.kind).toBe('s3');
  });
});
