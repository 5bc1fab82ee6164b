// The SDK's size in an app's bundle: minified and gzipped, alone (peers external, as an app with
// its own yjs/socket.io-client pays it) and with its peers, with and without the React bindings.
// Usage: node bench/sdk/size.ts   (figures go to docs/benchmarks.md)
import { build } from 'esbuild';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const root = fileURLToPath(new URL('../..', import.meta.url));
const CORE = "export * from './sdk/src/index.ts';";
const REACT = "export * from './sdk/src/react/index.ts';";
const PEERS = ['yjs', 'socket.io-client', 'y-protocols', 'react'];

const cases: [string, string, string[]][] = [
  ['SDK', CORE, PEERS],
  ['SDK + React bindings', CORE + REACT, PEERS],
  ['SDK + socket.io-client + yjs + y-protocols', CORE, ['react']],
  ['SDK + React bindings + peers (React excluded)', CORE + REACT, ['react']],
];
console.log('| Bundle | minified | min + gzip |\n|---|---:|---:|');
for (const [label, contents, external] of cases) {
  const out = await build({
    stdin: { contents, resolveDir: root, loader: 'ts' },
    bundle: true,
    minify: true,
    format: 'esm',
    platform: 'browser',
    write: false,
    external,
  });
  const bytes = out.outputFiles[0]!.contents;
  console.log(
    `| ${label} | ${(bytes.length / 1024).toFixed(1)} KiB | ${(gzipSync(bytes).length / 1024).toFixed(1)} KiB |`,
  );
}
