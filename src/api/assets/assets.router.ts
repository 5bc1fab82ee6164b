// /api/design-systems/:dsId/assets: multipart upload, list, metadata, download, signed URLs, delete.
import multer from 'multer';
import { uploadSize } from '../../middleware/upload-size.ts';
import { presentAsset } from '../../models/presenters/asset.presenter.ts';
import type { Services } from '../../services/index.ts';
import { AppError } from '../../utils/errors.ts';
import type { OpenApiRegistry } from '../openapi/registry.ts';
import { PageQuery } from '../pagination.schema.ts';
import { Routes } from '../route.ts';
import { sendAsset } from './asset-content.ts';
import { AssetParams, DsParams, SignedContentQuery, SignedUrlQuery, SignedUrlResponse } from './assets.schema.ts';

/** The asset routes; signed URLs are absolute under `publicUrl`. */
export function assetRoutes(
  { assets, designSystems }: Services,
  registry: OpenApiRegistry,
  maxBytes: number,
  publicUrl: string,
) {
  const origin = publicUrl.replace(/\/+$/, '');
  const r = new Routes(registry, '/api/design-systems/:dsId/assets', 'Assets');
  const upload = multer({
    storage: multer.memoryStorage(),
    limits: { fileSize: maxBytes, files: 1, fields: 10 },
  }).single('file');

  r.post(
    '/',
    {
      summary: 'Upload an asset (multipart field `file`): PNG, JPEG, GIF, WebP, SVG, WOFF, WOFF2, TTF, OTF',
      params: DsParams,
      bodyContentType: 'multipart/form-data',
      // Permission first, then the declared size (the file plus a little form overhead), then multer reads it.
      guard: ({ actor, params }) => designSystems.require(actor, params.dsId, 'designSystem:write'),
      before: [uploadSize(maxBytes + 64 * 1024), upload],
    },
    async ({ actor, params, req }) => {
      if (!req.file)
        throw new AppError('validation_failed', undefined, [
          { path: 'file', code: 'required', message: 'Send the file as multipart field `file`' },
        ]);
      const asset = await assets.upload(actor, params.dsId, {
        filename: req.file.originalname,
        declaredType: req.file.mimetype,
        data: req.file.buffer,
      });
      return presentAsset(asset);
    },
  );
  r.get(
    '/',
    { summary: "List a design system's assets", params: DsParams, query: PageQuery },
    async ({ actor, params, query }) => {
      const { items, nextCursor } = await assets.list(actor, params.dsId, query);
      return { items: items.map(presentAsset), nextCursor };
    },
  );
  r.get('/:assetId', { summary: 'Asset metadata', params: AssetParams }, async ({ actor, params }) =>
    presentAsset(await assets.get(actor, params.dsId, params.assetId)),
  );
  r.get('/:assetId/content', { summary: 'Download an asset', params: AssetParams }, async ({ actor, params, res }) => {
    const { asset, body } = await assets.download(actor, params.dsId, params.assetId);
    await sendAsset(res, asset, body);
  });
  const signedUrl = {
    summary: 'A signed, expiring URL of the content, usable without Authorization from any origin',
    params: AssetParams,
    query: SignedUrlQuery,
    response: SignedUrlResponse,
  };
  r.get('/:assetId/signed-url', signedUrl, async ({ actor, params, query, res }) => {
    const { asset, expires, signature } = await assets.sign(actor, params.dsId, params.assetId, query.expiresIn);
    const search = new URLSearchParams({ expires: String(expires), signature });
    res.set('Cache-Control', 'no-store');
    const url = `${origin}/api/design-systems/${asset.designSystemId}/assets/${asset.id}/signed?${search}`;
    return { url, expiresAt: new Date(expires * 1000).toISOString() };
  });
  const signed = {
    summary: 'Download an asset by signed URL (no Authorization; any origin may embed it)',
    auth: false,
    params: AssetParams,
    query: SignedContentQuery,
  };
  r.get('/:assetId/signed', signed, async ({ params, query, res }) => {
    const { asset, body } = await assets.downloadSigned(params, query.expires, query.signature);
    const left = Math.max(0, query.expires - Math.floor(Date.now() / 1000));
    await sendAsset(res, asset, body, {
      // helmet's default is same-origin, which is what made <img> on another origin fail.
      'Cross-Origin-Resource-Policy': 'cross-origin',
      // The URL is the credential: fetch() and <canvas> may read it from any origin (a listed origin
      // keeps the CORS middleware's answer).
      'Access-Control-Allow-Origin': res.get('Access-Control-Allow-Origin') ?? '*',
      'Cache-Control': `private, max-age=${Math.min(300, left)}`,
    });
  });
  r.delete('/:assetId', { summary: 'Delete an asset', params: AssetParams, status: 204 }, async ({ actor, params }) => {
    await assets.remove(actor, params.dsId, params.assetId);
  });
  return r;
}
