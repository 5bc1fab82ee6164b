// The behaviour every ObjectStore must share; each store's suite runs it against a fresh store.
import { randomBytes } from 'node:crypto';
import { expect, it } from '@jest/globals';
import type { ObjectStore } from '../../../../src/models/storage/object-store.ts';

export async function readAll(body: NodeJS.ReadableStream): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of body) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk));
  return Buffer.concat(chunks);
}

export const UNSAFE_KEYS = ['', '../x', 'a/../b', 'a/./b', '/abs', 'a//b', 'a/', 'a\\b', 'a\u0000b', 'x'.repeat(1025)];

export interface ContractOptions {
  /**
   * Whether listings can return keys containing '%'. The S3 client asks for URL-encoded keys
   * (encoding-type=url) and decodes them; real S3 and MinIO encode, but s3rver does not, so a raw
   * '%' breaks the client's decoding. Stores themselves handle '%' either way.
   */
  listsPercentKeys?: boolean;
}

/** Registers the contract's tests; `store()` returns the store under test (made in beforeAll). */
export function objectStoreContract(store: () => ObjectStore, options: ContractOptions = {}): void {
  const { listsPercentKeys = true } = options;

  it('round-trips binary content and its content type', async () => {
    const bytes = Buffer.concat([Buffer.from(Array.from({ length: 256 }, (_, i) => i)), randomBytes(4096)]);
    const put = await store().put('teams/t1/assets/a1/icon.png', bytes, 'image/png');
    expect(put).toMatchObject({ key: 'teams/t1/assets/a1/icon.png', size: bytes.length, contentType: 'image/png' });

    const got = await store().get('teams/t1/assets/a1/icon.png');
    expect(got).not.toBeNull();
    expect(got!.size).toBe(bytes.length);
    expect(got!.contentType).toBe('image/png');
    expect((await readAll(got!.body)).equals(bytes)).toBe(true);
  });

  it('heads an object without reading it', async () => {
    const body = Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>');
    const put = await store().put('teams/t1/assets/a2/logo.svg', body, 'image/svg+xml');
    const head = await store().head('teams/t1/assets/a2/logo.svg');
    expect(head).toMatchObject({ key: 'teams/t1/assets/a2/logo.svg', size: body.length, contentType: 'image/svg+xml' });
    expect(head!.etag).toBe(put.etag);
    expect(head!.lastModified).toBeInstanceOf(Date);
  });

  it('answers null for a missing key', async () => {
    expect(await store().get('teams/t1/assets/nope/missing.bin')).toBeNull();
    expect(await store().head('teams/t1/assets/nope/missing.bin')).toBeNull();
  });

  it('replaces an object and its content type on a second put', async () => {
    await store().put('teams/t1/fonts/inter.woff2', Buffer.from('old'), 'font/woff');
    await store().put('teams/t1/fonts/inter.woff2', Buffer.from('newer'), 'font/woff2');
    const got = await store().get('teams/t1/fonts/inter.woff2');
    expect(got!.contentType).toBe('font/woff2');
    expect((await readAll(got!.body)).toString()).toBe('newer');
  });

  it('deletes idempotently', async () => {
    await store().put('teams/t1/tmp/gone.txt', Buffer.from('x'), 'text/plain');
    await store().delete('teams/t1/tmp/gone.txt');
    expect(await store().head('teams/t1/tmp/gone.txt')).toBeNull();
    await expect(store().delete('teams/t1/tmp/gone.txt')).resolves.toBeUndefined();
    await expect(store().delete('teams/never/was/here.txt')).resolves.toBeUndefined();
  });

  it('keeps keys that are prefixes of each other apart, and odd characters intact', async () => {
    const percent = 'odd/50%/x@y.txt';
    const keys = ['odd/a/b', 'odd/a/b/c', 'odd/a/b@o', 'odd/x@y/@tmp', 'odd/ünïcödé ✓/file name.txt', 'odd/.hidden'];
    for (const key of [...keys, percent]) await store().put(key, Buffer.from(key), 'text/plain');
    for (const key of [...keys, percent]) expect((await readAll((await store().get(key))!.body)).toString()).toBe(key);
    if (!listsPercentKeys) await store().delete(percent);
    const listed = listsPercentKeys ? [...keys, percent] : keys;
    expect((await store().list('odd/')).map((o) => o.key).sort()).toEqual([...listed].sort());
    expect(await store().deletePrefix('odd/')).toBe(listed.length);
  });

  it('lists only under the prefix, sorted by key', async () => {
    await store().put('teams/t2/packages/ds/1.0.0.tgz', Buffer.from('a'), 'application/gzip');
    await store().put('teams/t2/assets/b/b.png', Buffer.from('bb'), 'image/png');
    await store().put('teams/t2/assets/a/a.png', Buffer.from('a'), 'image/png');
    await store().put('teams/t20/assets/c/c.png', Buffer.from('c'), 'image/png');

    const assets = await store().list('teams/t2/assets/');
    expect(assets.map((o) => o.key)).toEqual(['teams/t2/assets/a/a.png', 'teams/t2/assets/b/b.png']);
    expect(assets[1]).toMatchObject({ size: 2, contentType: 'image/png' });
    expect((await store().list('teams/t2/')).map((o) => o.key)).toHaveLength(3);
    // A plain string prefix, as in S3: 'teams/t2' also matches 'teams/t20/'.
    expect((await store().list('teams/t2')).map((o) => o.key)).toHaveLength(4);
    expect(await store().list('teams/t2/assets/a/a')).toHaveLength(1);
    expect(await store().list('teams/none/')).toEqual([]);
  });

  it('deletes by prefix, touching nothing outside it', async () => {
    const mine = ['teams/t3/assets/a/1.png', 'teams/t3/assets/b/2.png', 'teams/t3/packages/p/1.0.0.tgz'];
    for (const key of mine) await store().put(key, Buffer.from(key), 'application/octet-stream');
    await store().put('teams/t30/assets/a/1.png', Buffer.from('other team'), 'image/png');
    await store().put('teams/t4/assets/a/1.png', Buffer.from('other team'), 'image/png');

    expect(await store().deletePrefix('teams/t3/')).toBe(3);
    expect(await store().list('teams/t3/')).toEqual([]);
    for (const key of mine) expect(await store().head(key)).toBeNull();
    expect(await store().head('teams/t30/assets/a/1.png')).not.toBeNull();
    expect(await store().head('teams/t4/assets/a/1.png')).not.toBeNull();
    expect(await store().deletePrefix('teams/t3/')).toBe(0);
  });

  it("refuses a delete prefix that does not end with '/' (it could reach another team)", async () => {
    for (const prefix of ['', 'teams/t4', '../', '/teams/']) {
      await expect(store().deletePrefix(prefix)).rejects.toMatchObject({ code: 'validation_failed' });
    }
    expect(await store().head('teams/t4/assets/a/1.png')).not.toBeNull();
  });

  it('refuses unsafe keys everywhere and writes nothing', async () => {
    for (const key of UNSAFE_KEYS) {
      await expect(store().put(key, Buffer.from('evil'), 'text/plain')).rejects.toMatchObject({
        code: 'validation_failed',
      });
      await expect(store().get(key)).rejects.toMatchObject({ code: 'validation_failed' });
      await expect(store().head(key)).rejects.toMatchObject({ code: 'validation_failed' });
      await expect(store().delete(key)).rejects.toMatchObject({ code: 'validation_failed' });
    }
    for (const prefix of ['../', '/abs', 'a//', 'a\\']) {
      await expect(store().list(prefix)).rejects.toMatchObject({ code: 'validation_failed' });
    }
    expect((await store().list('')).map((o) => o.key).filter((k) => k.includes('evil') || k.startsWith('x'))).toEqual(
      [],
    );
  });

  it('stores a 5 MB object', async () => {
    const big = randomBytes(5 * 1024 * 1024 + 123);
    await store().put('teams/t5/packages/big/1.0.0.tgz', big, 'application/gzip');
    expect(await store().head('teams/t5/packages/big/1.0.0.tgz')).toMatchObject({ size: big.length });
    const got = await store().get('teams/t5/packages/big/1.0.0.tgz');
    expect(got!.size).toBe(big.length);
    expect((await readAll(got!.body)).equals(big)).toBe(true);
  });

  it('is ready', async () => {
    await expect(store().ready()).resolves.toBeUndefined();
  });
}
