// The zero-setup default survives what users do to it: kill -9 of the server (its embedded
// PostgreSQL is orphaned, the next start stops it and comes up), a second server on the same data
// folder (refused with one line naming the other), the embedded port taken by something else (a
// free one is used), the HTTP port taken (one line, exit 1, before any database work).
import { afterAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exitWithin, freePort, reap, spawnServer, waitReady, type ServerProcess } from '../support/process.ts';

const dataDir = mkdtempSync(join(tmpdir(), 'ensemble-embedded-'));
const started: ServerProcess[] = [];
const holders: Server[] = [];

async function start(env: Record<string, string> = {}): Promise<ServerProcess> {
  const server = spawnServer({
    NODE_ENV: 'development',
    LOG_LEVEL: 'info',
    REDIS_URL: '',
    DATA_DIR: dataDir,
    JWT_SECRET: 'x'.repeat(32),
    PORT: String(await freePort()),
    ...env,
  });
  started.push(server);
  return server;
}

const postmasterPid = () => Number(readFileSync(join(dataDir, 'postgres/postmaster.pid'), 'utf8').split('\n')[0]);
const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};
const hold = (port: number) =>
  new Promise<Server>((ok) => {
    const server = createServer().listen(port, '127.0.0.1', () => ok(server));
    holders.push(server);
  });

afterAll(async () => {
  for (const server of started) await reap(server);
  for (const h of holders) h.close();
  // Whatever PostgreSQL is still on the folder (a failed test) goes with it.
  try {
    process.kill(postmasterPid(), 'SIGQUIT');
  } catch {
    // none
  }
  rmSync(dataDir, { recursive: true, force: true });
});

describe('embedded PostgreSQL', () => {
  it('comes back after kill -9 of its server, refuses a second server on its folder, and avoids a taken port', async () => {
    const pgPort = await freePort();
    const first = await start({ EMBEDDED_PG_PORT: String(pgPort) });
    await waitReady(first, 120_000); // the first start runs initdb
    const orphan = postmasterPid();
    first.child.kill('SIGKILL');
    await first.exited;
    expect(alive(orphan)).toBe(true); // left behind, as users found it

    // A second server while the first one's PostgreSQL is orphaned: stops it and starts its own.
    const second = await start({ EMBEDDED_PG_PORT: String(pgPort) });
    await waitReady(second, 60_000);
    expect(alive(orphan)).toBe(false);
    expect(second.output()).toMatch(/left running by a server that died/);

    // A third on the same folder while the second runs: one line naming the other, exit 1.
    const third = await start({ EMBEDDED_PG_PORT: String(pgPort) });
    expect(await exitWithin(third, 30_000)).toBe(1);
    expect(third.output()).toMatch(
      new RegExp(
        `Ensemble could not start: another Ensemble \\(pid ${second.child.pid}\\) is already using the data folder .*DATA_DIR=`,
      ),
    );
    expect(third.output()).not.toMatch(/\n\s+at /); // no stack trace

    // SIGTERM to the one PID stops the server and its PostgreSQL.
    const pg = postmasterPid();
    second.child.kill('SIGTERM');
    expect(await exitWithin(second, 20_000)).toBe(0);
    expect(alive(pg)).toBe(false);

    // The configured embedded port taken by something else: another port, said in the log.
    await hold(pgPort);
    const fourth = await start({ EMBEDDED_PG_PORT: String(pgPort) });
    await waitReady(fourth, 60_000);
    expect(fourth.output()).toMatch(
      new RegExp(`port ${pgPort} is taken by something else: embedded PostgreSQL uses \\d+`),
    );
    fourth.child.kill('SIGTERM');
    expect(await exitWithin(fourth, 20_000)).toBe(0);
  }, 240_000);

  it('refuses a busy HTTP port with one line and exit 1, before starting a database', async () => {
    const port = await freePort();
    await hold(port);
    const server = await start({ PORT: String(port), DATA_DIR: mkdtempSync(join(tmpdir(), 'ensemble-busy-')) });
    expect(await exitWithin(server, 20_000)).toBe(1);
    expect(server.output()).toContain(`Ensemble could not start: port 127.0.0.1:${port} is already in use`);
    expect(server.output()).not.toMatch(/embedded PostgreSQL|EADDRINUSE|\n\s+at /);
  });
});
