// The one-shot migration step of a deployment (compose's `migrate` service, a Kubernetes Job or an
// init container): applies pending migrations with the server's own runner and exits 0, or exits 1
// with the reason. Web and worker processes migrate at start too; running this first means a
// rollout never waits on a long migration inside a readiness window, and a bad migration stops the
// rollout before any new process starts. Concurrent runs are safe: the runner holds Prisma's
// advisory lock, so a second waits and then finds nothing to do.
//
//   node deploy/migrate.ts        (reads DATABASE_URL like the server: src/config/config.ts)
import { ConfigError, loadConfig } from '../src/config/config.ts';
import { applyMigrations } from '../src/models/migrate.ts';

try {
  const config = loadConfig();
  if (!config.DATABASE_URL) throw new ConfigError(['DATABASE_URL: required to migrate (the embedded PostgreSQL migrates itself)']);
  const applied = await applyMigrations(config.DATABASE_URL);
  process.stdout.write(applied.length ? `applied ${applied.length} migration(s): ${applied.join(', ')}\n` : 'database is up to date\n');
} catch (err) {
  process.stderr.write(`migration failed: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
}
