// Builds the demo page (demo/src, React + the SDK + CodeMirror) into demo/dist: app.js and
// app.css, minified with source maps, and index.html beside them so that demo/dist alone is what
// the server needs (the Docker image copies just that folder). index.html's references get
// `?v=<content hash>`, so the server can let browsers cache those URLs for good.
// The SDK is imported as an app would (`@ensemble/client`, `@ensemble/client/react`), aliased to
// its sources, and every package resolves from the root node_modules: one copy of Yjs.
// Usage: node scripts/build-demo.mjs [outdir]
import { build } from 'esbuild';
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const outdir = process.argv[2] ?? join(root, 'demo/dist');
const started = Date.now();
rmSync(outdir, { recursive: true, force: true });
mkdirSync(outdir, { recursive: true });

await build({
  entryPoints: { app: join(root, 'demo/src/main.tsx') },
  outdir,
  bundle: true,
  format: 'esm',
  platform: 'browser',
  target: 'es2022',
  jsx: 'automatic',
  minify: true,
  sourcemap: true,
  legalComments: 'linked',
  logLevel: 'warning',
  define: { 'process.env.NODE_ENV': '"production"' },
  alias: {
    '@ensemble/client/react': join(root, 'sdk/src/react/index.ts'),
    '@ensemble/client': join(root, 'sdk/src/index.ts'),
  },
  // One Yjs however a package asks for it (an app and its editor binding must share it).
  nodePaths: [join(root, 'node_modules')],
  loader: { '.css': 'css' },
});
const version = (file) =>
  createHash('sha256')
    .update(readFileSync(join(outdir, file)))
    .digest('hex')
    .slice(0, 12);
const html = readFileSync(join(root, 'demo/index.html'), 'utf8').replace(
  /\/demo\/(app\.(?:js|css))"/g,
  (_, file) => `/demo/${file}?v=${version(file)}"`,
);
writeFileSync(join(outdir, 'index.html'), html);
if (!process.env.QUIET) console.log(`demo built in ${Date.now() - started} ms → ${outdir}`);
