// A Redis of the test's own (redis-server on a free port, nothing kept on disk) that the test may
// stop and start again — a restart loses every key, as a Redis without persistence does. Fault tests
// never touch the shared server.
import { spawn, type ChildProcess } from 'node:child_process';
import { createConnection } from 'node:net';
import { freePort } from './process.ts';

export interface OwnRedis {
  url: string;
  /** Stops it (SIGKILL by pid) and waits for the exit. */
  stop(): Promise<void>;
  /** Starts it again on the same port, empty. */
  start(): Promise<void>;
}

const answers = (port: number) =>
  new Promise<boolean>((ok) => {
    const socket = createConnection({ port, host: '127.0.0.1' }, () => {
      socket.end();
      ok(true);
    });
    socket.on('error', () => ok(false));
  });

/** Starts a private redis-server. */
export async function ownRedis(): Promise<OwnRedis> {
  const port = await freePort();
  let child: ChildProcess | null = null;
  const start = async () => {
    if (child) return;
    child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], {
      stdio: 'ignore',
    });
    child.once('error', (err) => {
      throw new Error(`redis-server could not start (is it installed?): ${err.message}`);
    });
    for (let i = 0; i < 100 && !(await answers(port)); i++) await new Promise((r) => setTimeout(r, 50));
  };
  await start();
  return {
    url: `redis://127.0.0.1:${port}`,
    start,
    async stop() {
      const running = child;
      child = null;
      if (!running || running.exitCode !== null) return;
      const exited = new Promise((ok) => running.once('exit', ok));
      running.kill('SIGKILL');
      await exited;
    },
  };
}
