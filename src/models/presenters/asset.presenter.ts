// Row → API JSON for assets: never the storage key.
import type { Asset } from '../db.ts';

/** The public view of an asset. */
export function presentAsset(asset: Asset) {
  return {
    id: asset.id,
    designSystemId: asset.designSystemId,
    filename: asset.filename,
    contentType: asset.contentType,
    size: asset.size,
    checksum: asset.checksum,
    uploadedById: asset.uploadedById,
    createdAt: asset.createdAt.toISOString(),
    url: `/api/design-systems/${asset.designSystemId}/assets/${asset.id}/content`,
  };
}
