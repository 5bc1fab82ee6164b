// Builds the frontend SDK (sdk/src) into sdk/dist/index.js: one ES module for bundlers and
// browsers, with socket.io-client and yjs left to the app (they are peer dependencies, and an app
// must share one copy of yjs with its editor bindings).
// Usage: node scripts/build-sdk.mjs [outdir]
import { build } from 'esbuild';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const outdir = process.argv[2] ?? `${root}sdk/dist`;

await build({
  entryPoints: [`${root}sdk/src/index.ts`],
  outfile: `${outdir}/index.js`,
  bundle: true,
  format: 'esm',
  platform: 'neutral',
  target: 'es2022',
  external: ['socket.io-client', 'yjs'],
  sourcemap: true,
  logLevel: 'warning',
});
