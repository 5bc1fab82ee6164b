#!/usr/bin/env node
// Authors migrations offline with Prisma's own schema engine (the wasm build shipped in the `prisma`
// package), because `prisma migrate dev` needs a native engine download this machine cannot make.
//
//   node scripts/migration.mjs create <name>   write migrations/<timestamp>_<name>/migration.sql
//   node scripts/migration.mjs check           exit 1 if migrations/ and prisma/schema.prisma disagree
//
// The engine cannot introspect a shadow database through the JS driver adapter, so the diff runs from
// prisma/schema.migrated.prisma, the schema the latest migration was written from, kept beside it.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import * as glue from '@prisma/schema-engine-wasm/schema_engine_bg';
import { PrismaPg } from '@prisma/adapter-pg';
import { bindMigrationAwareSqlAdapterFactory } from '@prisma/driver-adapter-utils';

const require = createRequire(import.meta.url);
const root = new URL('..', import.meta.url).pathname;
const migrationsDir = join(root, 'migrations');
const schemaPath = join(root, 'prisma', 'schema.prisma');
const migratedPath = join(root, 'prisma', 'schema.migrated.prisma');
// The engine opens a connection at start even for a schema-to-schema diff; it never reads from it.
const adapterUrl = process.env.SHADOW_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';

async function engine(schema) {
  const wasmPath = join(require.resolve('prisma/package.json'), '..', 'build', 'schema_engine_bg.wasm');
  const { instance } = await WebAssembly.instantiate(readFileSync(wasmPath), { './schema_engine_bg.js': glue });
  glue.__wbg_set_wasm(instance.exports);
  instance.exports.__wbindgen_start?.();
  const adapter = bindMigrationAwareSqlAdapterFactory(new PrismaPg({ connectionString: adapterUrl }));
  return glue.SchemaEngine.new({ datamodels: [['schema.prisma', schema]] }, () => {}, adapter);
}

const [command, name] = process.argv.slice(2);
const schema = readFileSync(schemaPath, 'utf8');
const se = await engine(schema);
const migrated = existsSync(migratedPath) ? readFileSync(migratedPath, 'utf8') : null;
const result = await se.diff({
  from: migrated ? { tag: 'schemaDatamodel', files: [{ path: 'schema.prisma', content: migrated }] } : { tag: 'empty' },
  to: { tag: 'schemaDatamodel', files: [{ path: 'schema.prisma', content: schema }] },
  script: true,
  exitCode: true,
  filters: { externalTables: [], externalEnums: [] },
});
const sql = result.stdout ?? '';
const empty = result.exitCode === 0;

if (command === 'check') {
  if (!empty) {
    process.stderr.write(`migrations/ is behind prisma/schema.prisma; the missing SQL is:\n${sql}\n`);
    process.exit(1);
  }
  process.stdout.write('migrations/ matches prisma/schema.prisma\n');
} else if (command === 'create' && name) {
  if (empty) {
    process.stdout.write('schema unchanged: no migration written\n');
    process.exit(0);
  }
  const stamp = new Date().toISOString().replace(/\D/g, '').slice(0, 14);
  const dir = join(migrationsDir, `${stamp}_${name.replace(/\W+/g, '_')}`);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'migration.sql'), sql);
  writeFileSync(migratedPath, schema);
  process.stdout.write(`wrote ${dir}/migration.sql\n`);
} else {
  process.stderr.write('usage: node scripts/migration.mjs create <name> | check\n');
  process.exit(2);
}
