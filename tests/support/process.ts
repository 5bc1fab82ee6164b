// Real Ensemble server processes (`node src/main.ts <role>`) for tests that must kill or signal a
// node: spawn on a chosen port, wait for /ready, SIGKILL or SIGTERM, and await the exit.
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const NODE = resolve(ROOT, 'node_modules/.bin/node');

export interface ServerProcess {
  url: string;
  port: number;
  child: ChildProcess;
  /** Everything the process wrote to stdout and stderr so far (for failure messages). */
  output(): string;
  /** Resolves with the exit code (or the signal name) once the process has exited. */
  exited: Promise<number | string>;
  /** Whether the process is still running. */
  running(): boolean;
}

/** A TCP port that was free a moment ago on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((ok, fail) => {
    const server = createServer();
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => ok(port));
    });
  });
}

/** Spawns `node src/main.ts <role>` with exactly `env` (plus PATH/HOME) on `PORT`. */
export function spawnServer(env: Record<string, string>, role: 'web' | 'worker' | 'all' = 'web'): ServerProcess {
  const port = Number(env.PORT);
  if (!port) throw new Error('spawnServer needs an explicit PORT');
  const child = spawn(NODE, ['src/main.ts', role], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', HOST: '127.0.0.1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let log = '';
  const keep = (chunk: Buffer) => {
    log += chunk.toString();
    if (log.length > 64_000) log = log.slice(-32_000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  let alive = true;
  const exited = new Promise<number | string>((ok) => {
    child.once('exit', (code, signal) => {
      alive = false;
      ok(code ?? signal ?? -1);
    });
  });
  return { url: `http://127.0.0.1:${port}`, port, child, output: () => log, exited, running: () => alive };
}

/**
 * Polls GET /ready until the child says it is ready (200); fails at once when the process dies. A busy
 * machine starts a server slowly, so the only deadline is a last-resort bound well above any start we
 * have seen: a start that fails fails by exiting, with its own one-line reason in the output.
 */
export async function waitReady(server: ServerProcess, ms = 150_000): Promise<void> {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    if (!server.running()) throw new Error(`server on ${server.port} exited before it was ready:\n${server.output()}`);
    try {
      const res = await fetch(`${server.url}/ready`, { signal: AbortSignal.timeout(1000) });
      await res.arrayBuffer();
      if (res.status === 200) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`server on ${server.port} not ready within ${ms} ms:\n${server.output()}`);
}

/** Resolves with the exit code/signal, or null when it did not exit within `ms`. */
export function exitWithin(server: ServerProcess, ms: number): Promise<number | string | null> {
  return new Promise((ok) => {
    const timer = setTimeout(() => ok(null), ms);
    void server.exited.then((code) => {
      clearTimeout(timer);
      ok(code);
    });
  });
}

/** Last-resort cleanup: SIGKILL a process that is still running and wait for it. */
export async function reap(server: ServerProcess | undefined): Promise<void> {
  if (!server?.running()) return;
  server.child.kill('SIGKILL');
  await server.exited;
}
