// Starts a server as its own Node process (the measured pid), preloaded with gc-hook.ts and an
// IPC channel, and makes sure every child dies with the harness.
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';

export const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
const gcHook = fileURLToPath(new URL('./gc-hook.ts', import.meta.url));
const live = new Set<ChildProcess>();

export interface Child {
  process: ChildProcess;
  pid: number;
  /** Last few KB of stderr + stdout, for error messages. */
  output(): string;
  /** Resolves with the first stdout line matching `pattern`. */
  waitForLine(pattern: RegExp, timeoutMs: number): Promise<RegExpExecArray>;
  gc(): Promise<void>;
  stop(): Promise<void>;
}

export function spawnServer(args: string[], env: Record<string, string> = {}, cwd = repoRoot): Child {
  const child = spawn(process.execPath, ['--expose-gc', '--import', gcHook, ...args], {
    cwd,
    env: { ...process.env, NODE_ENV: 'production', ...env },
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  if (child.pid === undefined) throw new Error(`could not start ${args.join(' ')}`);
  live.add(child);
  child.once('exit', () => live.delete(child));
  let tail = '';
  const keep = (chunk: Buffer): void => {
    tail = (tail + chunk.toString()).slice(-4000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);

  return {
    process: child,
    pid: child.pid,
    output: () => tail,
    waitForLine: (pattern, timeoutMs) =>
      new Promise((resolve, reject) => {
        let seen = '';
        const timer = setTimeout(() => done(new Error(`timeout waiting for ${pattern}: ${tail}`)), timeoutMs);
        const onData = (chunk: Buffer): void => {
          seen += chunk.toString();
          const match = pattern.exec(seen);
          if (match) done(undefined, match);
        };
        const onExit = (): void => done(new Error(`server exited: ${tail}`));
        const done = (err?: Error, match?: RegExpExecArray): void => {
          clearTimeout(timer);
          child.stdout?.off('data', onData);
          child.off('exit', onExit);
          if (err) reject(err);
          else resolve(match!);
        };
        child.stdout?.on('data', onData);
        child.once('exit', onExit);
      }),
    gc: async () => {
      const reply = once(child, 'message');
      child.send('gc');
      await Promise.race([reply, new Promise((resolve) => setTimeout(resolve, 5000))]);
    },
    stop: () => stopChild(child),
  };
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 3000);
  await exited;
  clearTimeout(timer);
}

/** Kills whatever is still running (harness exit, Ctrl-C, crash). */
export function killAllServers(): void {
  for (const child of live) child.kill('SIGKILL');
}

export async function freePort(): Promise<number> {
  const probe = createServer();
  probe.listen(0, '127.0.0.1');
  await once(probe, 'listening');
  const address = probe.address();
  probe.close();
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}
