// /api/design-systems/:dsId/assets: multipart upload, list, metadata, download, delete.
import { pipeline } from 'node:stream/promises';
import multer from 'multer';
import { uploadSize } from '../../middleware/upload-size.ts';
import { presentAsset } from '../../models/presenters/asset.presenter.ts';
import type { Services } from '../../services/index.ts';
import { AppError } from '../../utils/errors.ts';
import type { OpenApiRegistry } from '../openapi/registry.ts';
import { PageQuery } from '../pagination.schema.ts';
import { Routes } from '../route.ts';
import { AssetParams, DsParams } from './assets.schema.ts';

/** The asset routes. */
export function assetRoutes({ assets, designSystems }: Services, registry: OpenApiRegistry, maxBytes: number) {
  const r = new Routes(registry, '/api/design-systems/:dsId/assets', 'Assets');
  const upload = multer({ storage: multer.memoryStorage(), limits: { fileSize: maxBytes, files: 1, fields: 10 } }).single('file');

  r.post('/', { summary: 'Upload an asset (multipart field `file`): PNG, JPEG, GIF, WebP, SVG, WOFF, WOFF2, TTF, OTF', params: DsParams, bodyContentType: 'multipart/form-data',
    // Permission first, then the declared size (the file plus a little form overhead), then multer reads it.
    guard: ({ actor, params }) => designSystems.require(actor, params.dsId, 'designSystem:write'),
    before: [uploadSize(maxBytes + 64 * 1024), upload] }, async ({ actor, params, req }) => {
    if (!req.file) throw new AppError('validation_failed', undefined, [{ path: 'file', code: 'required', message: 'Send the file as multipart field `file`' }]);
    const asset = await assets.upload(actor, params.dsId, { filename: req.file.originalname, declaredType: req.file.mimetype, data: req.file.buffer });
    return presentAsset(asset);
  });
  r.get('/', { summary: "List a design system's assets", params: DsParams, query: PageQuery }, async ({ actor, params, query }) => {
    const { items, nextCursor } = await assets.list(actor, params.dsId, query);
    return { items: items.map(presentAsset), nextCursor };
  });
  r.get('/:assetId', { summary: 'Asset metadata', params: AssetParams }, async ({ actor, params }) => presentAsset(await assets.get(actor, params.dsId, params.assetId)));
  r.get('/:assetId/content', { summary: 'Download an asset', params: AssetParams }, async ({ actor, params, res }) => {
    const { asset, body } = await assets.download(actor, params.dsId, params.assetId);
    res.set({
      'Content-Type': asset.contentType,
      'Content-Length': String(body.size),
      'Content-Disposition': `inline; filename="${asset.filename}"`,
      ETag: `"${asset.checksum}"`,
      // SVGs can carry scripts: never let one run in our origin.
      'Content-Security-Policy': "default-src 'none'; style-src 'unsafe-inline'; sandbox",
      'Cache-Control': 'private, max-age=300',
    });
    await pipeline(body.body, res);
  });
  r.delete('/:assetId', { summary: 'Delete an asset', params: AssetParams, status: 204 }, async ({ actor, params }) => {
    await assets.remove(actor, params.dsId, params.assetId);
  });
  return r;
}
