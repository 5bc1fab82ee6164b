// The server's own pages: the landing page at /, and the demo at /demo — demo/dist as built by
// `npm run demo:build` (index.html, app.js, app.css and their source maps), or a 503 saying so.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import express, { Router, type Response } from 'express';
import { page } from './page.ts';

const DEMO_DIST = fileURLToPath(new URL('../../../demo/dist', import.meta.url));

const LANDING = page(
  'Ensemble',
  `<h1>Ensemble</h1>
<p>A real-time collaboration server for design-system teams: presence, live cursors, component locks,
comments and live Yjs documents, over Socket.IO and y-websocket, with a REST API beside them.</p>
<ul class="links">
<li><a href="/demo">Demo<span>Two browsers, one component: code, tokens, comments</span></a></li>
<li><a href="/docs">REST API<span>OpenAPI with Swagger UI</span></a></li>
<li><a href="/docs/realtime">Realtime protocol<span>Socket.IO events and /yjs</span></a></li>
<li><a href="/health">Health<span>Liveness of this server</span></a></li>
</ul>`,
);

const NOT_BUILT = page(
  'Ensemble demo not built',
  `<article><h1>The demo page is not built</h1>
<p>This server has no <code>demo/dist</code>. Build it with <code>npm run demo:build</code> (it is built by
<code>npm ci</code> too), then reload.</p></article>`,
);

/** Files named with `?v=<hash>` never change; anything else is revalidated (ETag) on every use. */
function cacheHeaders(res: Response, versioned: boolean): void {
  res.setHeader('Cache-Control', versioned ? 'public, max-age=31536000, immutable' : 'no-cache');
}

/** GET /, GET /demo and the demo's static files. */
export function webRouter(distDir = DEMO_DIST): Router {
  const router = Router();
  router.get('/', (_req, res) => {
    res.locals.route = '/';
    res.type('html').send(LANDING);
  });
  router.get(['/demo', '/demo/', '/demo/index.html'], (_req, res) => {
    res.locals.route = '/demo';
    const index = join(distDir, 'index.html');
    if (!existsSync(index)) return void res.status(503).type('html').set('Retry-After', '30').send(NOT_BUILT);
    cacheHeaders(res, false);
    res.sendFile(index);
  });
  router.use(
    '/demo',
    (req, res, next) => {
      res.locals.route = '/demo/*';
      cacheHeaders(res, typeof req.query['v'] === 'string');
      next();
    },
    express.static(distDir, { index: false, cacheControl: false, fallthrough: true }),
  );
  return router;
}
