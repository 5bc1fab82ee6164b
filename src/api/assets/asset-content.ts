// Sends an asset's bytes: the same headers whether the reader used a token or a signed URL.
import type { Response } from 'express';
import { pipeline } from 'node:stream/promises';
import type { Asset } from '../../models/db.ts';
import type { ObjectBody } from '../../models/storage/index.ts';

/** Streams `body` as `asset`, with the SVG sandbox and the checksum ETag; `extra` adds or overrides headers. */
export async function sendAsset(
  res: Response,
  asset: Asset,
  body: ObjectBody,
  extra: Record<string, string> = {},
): Promise<void> {
  res.set({
    'Content-Type': asset.contentType,
    'Content-Length': String(body.size),
    'Content-Disposition': `inline; filename="${asset.filename}"`,
    ETag: `"${asset.checksum}"`,
    // SVGs can carry scripts: never let one run in our origin.
    'Content-Security-Policy': "default-src 'none'; style-src 'unsafe-inline'; sandbox",
    'Cache-Control': 'private, max-age=300',
    ...extra,
  });
  await pipeline(body.body, res);
}
