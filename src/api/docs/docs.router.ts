// /api/openapi.json (generated from the zod schemas) and /docs (Swagger UI served from the npm package).
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import express, { Router } from 'express';

const require = createRequire(import.meta.url);
const swaggerDir = dirname(require.resolve('swagger-ui-dist/package.json'));

const PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Ensemble API</title>
<link rel="stylesheet" href="/docs/assets/swagger-ui.css"></head>
<body><p style="font: 14px sans-serif; margin: 12px 20px">The realtime protocol (Socket.IO events, /yjs):
<a href="/docs/realtime">/docs/realtime</a></p><div id="ui"></div>
<script src="/docs/assets/swagger-ui-bundle.js"></script>
<script src="/docs/init.js"></script></body></html>`;

// Loaded as a file rather than inline so the page works under helmet's default CSP.
const INIT = `window.ui = SwaggerUIBundle({ url: '/api/openapi.json', dom_id: '#ui' });`;

/** The API document and its docs page. */
export function docsRouter(document: () => unknown): Router {
  const router = Router();
  let cached: unknown;
  router.get('/api/openapi.json', (_req, res) => {
    res.locals.route = '/api/openapi.json';
    cached ??= document();
    res.json(cached);
  });
  router.get('/docs', (_req, res) => {
    res.locals.route = '/docs';
    res.type('html').send(PAGE);
  });
  router.get('/docs/init.js', (_req, res) => {
    res.locals.route = '/docs/init.js';
    res.type('application/javascript').send(INIT);
  });
  router.use('/docs/assets', express.static(swaggerDir, { index: false, maxAge: '1d' }));
  return router;
}
