// Packs files into an npm tarball (gzipped tar, every entry under `package/`) and computes the
// integrity fields a registry expects.
import { createHash } from 'node:crypto';
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { create } from 'tar';

export interface Tarball {
  data: Buffer;
  shasum: string;
  integrity: string;
  files: string[];
}

/** A reproducible .tgz of the files (fixed mtimes, sorted entries). */
export async function packTarball(files: Map<string, string>): Promise<Tarball> {
  const dir = await mkdtemp(join(tmpdir(), 'ensemble-pack-'));
  try {
    const names = [...files.keys()].sort();
    for (const name of names) {
      const path = join(dir, 'package', name);
      await mkdir(dirname(path), { recursive: true });
      await writeFile(path, files.get(name) as string);
    }
    const chunks: Buffer[] = [];
    const stream = create(
      { gzip: true, cwd: dir, portable: true, mtime: new Date('2000-01-01T00:00:00Z'), noDirRecurse: true },
      names.map((n) => `package/${n}`),
    );
    for await (const chunk of stream as AsyncIterable<Buffer>) chunks.push(chunk);
    const data = Buffer.concat(chunks);
    return {
      data,
      shasum: createHash('sha1').update(data).digest('hex'),
      integrity: `sha512-${createHash('sha512').update(data).digest('base64')}`,
      files: names,
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
