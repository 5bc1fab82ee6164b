// Signed, short-lived asset URLs: what lets an <img> on another origin load an asset, which cannot
// send a Bearer token. The signature is HMAC-SHA256 over (design system, asset, expiry) under a key
// derived from the server secret for this one purpose (as SecretBox derives its key), so it cannot
// be replayed as any other signature, and every node sharing JWT_SECRET accepts every other's URLs.
import { createHmac, hkdfSync } from 'node:crypto';
import { safeEqual } from '../../utils/crypto.ts';
import { AppError } from '../../utils/errors.ts';

/** What a signature is bound to. */
export interface AssetRef {
  dsId: string;
  assetId: string;
}

/** Signs and checks asset URLs; `expires` is in Unix seconds. */
export class AssetUrlSigner {
  private readonly key: Buffer;

  constructor(serverSecret: string) {
    this.key = Buffer.from(hkdfSync('sha256', serverSecret, 'ensemble', 'asset-urls', 32));
  }

  /** The base64url signature of `ref` until `expires`. */
  sign(ref: AssetRef, expires: number): string {
    // Versioned and newline-separated: no two distinct (ds, asset, expiry) triples give one message.
    const message = `v1\n${ref.dsId.toLowerCase()}\n${ref.assetId.toLowerCase()}\n${expires}`;
    return createHmac('sha256', this.key).update(message).digest('base64url');
  }

  /** Throws `invalid_signature` unless `signature` is ours for `ref`, then `signed_url_expired` if it is past. */
  verify(ref: AssetRef, expires: number, signature: string, now = Date.now()): void {
    // The signature first, in constant time: an altered expiry is a forgery, not an expired URL.
    if (!safeEqual(signature, this.sign(ref, expires))) throw new AppError('invalid_signature');
    if (expires * 1000 <= now) throw new AppError('signed_url_expired');
  }
}
