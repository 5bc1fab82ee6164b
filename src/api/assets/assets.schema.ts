// Request shapes of /api/design-systems/:dsId/assets.
import { z } from 'zod';

export const DsParams = z.object({ dsId: z.uuid() });
export const AssetParams = z.object({ dsId: z.uuid(), assetId: z.uuid() });

/** How long a signed URL lives: a quarter of an hour unless asked, a day at most. */
export const SignedUrlQuery = z.object({ expiresIn: z.coerce.number().int().min(60).max(86_400).default(900) });

export const SignedUrlResponse = z.object({ url: z.url(), expiresAt: z.iso.datetime() });

/**
 * A signed URL's query. Any string may be a signature: a wrong one is `invalid_signature`, not a
 * validation error, so a tampered URL is told exactly why it fails.
 */
export const SignedContentQuery = z.object({
  expires: z.coerce.number().int().min(0).max(Number.MAX_SAFE_INTEGER),
  signature: z.string().min(1).max(256),
});
