// The fixture pages' own origin. API (kept small and stable; tests/e2e/demo* may use it):
//
//   const site = await serveFixtures();              // bundles tests/e2e/pages/*.ts, listens on 127.0.0.1:0
//   site.origin                                       // http://127.0.0.1:<port>: put it in CORS_ORIGINS
//   site.url('sdk-editor', { server, token, … })      // the page <name> with its query
//   await site.close();
//
// Each page is bundled with esbuild at start, importing the SDK through its public entry (the
// sources, sdk/src/index.ts, so the tests see the code as it is now rather than a stale sdk/dist;
// `@ensemble/client` resolves there too) next to the app's own `yjs`, `y-protocols`,
// `socket.io-client` and `y-websocket`, all from the repository's node_modules: one Yjs.
// A page gets a blank HTML shell with a <textarea id="editor"> and a 400×300 <div id="canvas">.
import { build } from 'esbuild';
import { readdirSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const repo = resolve(here, '../../..');
const PAGES = join(here, '../pages');

export interface FixtureSite {
  origin: string;
  /** The address of page `name` (a file `tests/e2e/pages/<name>.ts`) with `params` in its query. */
  url(name: string, params?: Record<string, string>): string;
  close(): Promise<void>;
}

const shell = (name: string) => `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${name}</title></head>
<body><textarea id="editor" rows="8" cols="60"></textarea>
<div id="canvas" style="width:400px;height:300px;background:#eee"></div>
<script type="module" src="/${name}.js"></script></body></html>`;

/** Bundles the fixture pages and serves them from a second origin. */
export async function serveFixtures(): Promise<FixtureSite> {
  const entries = readdirSync(PAGES).filter((f) => f.endsWith('.ts'));
  const out = await build({
    absWorkingDir: repo,
    entryPoints: entries.map((f) => join(PAGES, f)),
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    outdir: '/pages',
    write: false,
    logLevel: 'silent',
    alias: { '@ensemble/client': join(repo, 'sdk/src/index.ts') },
  });
  const scripts = new Map(out.outputFiles.map((f) => [basename(f.path), f.contents]));
  const site = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname.slice(1);
    const script = scripts.get(path);
    if (script) return void res.writeHead(200, { 'content-type': 'text/javascript' }).end(script);
    if (path.endsWith('.html') && scripts.has(path.replace(/\.html$/, '.js'))) {
      return void res.writeHead(200, { 'content-type': 'text/html' }).end(shell(path.replace(/\.html$/, '')));
    }
    res.writeHead(404).end();
  });
  await new Promise<void>((ok) => site.listen(0, '127.0.0.1', ok));
  const origin = `http://127.0.0.1:${(site.address() as AddressInfo).port}`;
  return {
    origin,
    url: (name, params = {}) => `${origin}/${name}.html?${new URLSearchParams(params)}`,
    close: () =>
      new Promise<void>((ok) => {
        site.closeAllConnections();
        site.close(() => ok());
      }),
  };
}
