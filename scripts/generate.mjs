#!/usr/bin/env node
// Generates the Prisma client into src/generated/prisma (run by `postinstall`).
// `prisma generate` does not use the native schema engine, but it tries to download one unless
// PRISMA_SCHEMA_ENGINE_BINARY points at an executable; any executable will do, so we point it at
// Node itself. This keeps `npm ci` working offline.
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const cli = require.resolve('prisma/build/index.js');
const env = {
  ...process.env,
  PRISMA_SCHEMA_ENGINE_BINARY: process.env.PRISMA_SCHEMA_ENGINE_BINARY ?? process.execPath,
  PRISMA_HIDE_UPDATE_MESSAGE: '1',
};
const result = spawnSync(process.execPath, [cli, 'generate'], { stdio: 'inherit', env });
process.exit(result.status ?? 1);
