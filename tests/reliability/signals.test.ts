// Process managers and containers signal one PID: `npm start` must stop on a SIGINT or SIGTERM sent
// to the process it started, within a few seconds, and leave nothing listening.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from '@jest/globals';
import { freePort } from '../support/process.ts';
import { testEnv } from '../support/server.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const children: ReturnType<typeof spawn>[] = [];

afterAll(() => {
  for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
});

async function ready(url: string, child: ReturnType<typeof spawn>, output: () => string): Promise<void> {
  while (child.exitCode === null) {
    const ok = await fetch(`${url}/ready`).then(
      (r) => r.status === 200,
      () => false,
    );
    if (ok) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`npm start exited before it was ready:\n${output()}`);
}

describe('npm start and signals', () => {
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    it(`stops on one ${signal} to the PID it started`, async () => {
      const port = await freePort();
      const env = await testEnv({ PORT: String(port), REDIS_URL: '', LOG_LEVEL: 'warn', SHUTDOWN_DRAIN_MS: '500' });
      // npm scripts run on the project's Node (node_modules/.bin first, as `npm` itself arranges).
      const child = spawn('npm', ['start', '--silent'], {
        cwd: ROOT,
        env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', ...env },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      children.push(child);
      let log = '';
      child.stdout?.on('data', (d: Buffer) => (log += d.toString()));
      child.stderr?.on('data', (d: Buffer) => (log += d.toString()));
      const url = `http://127.0.0.1:${port}`;
      await ready(url, child, () => log);

      const startedAt = Date.now();
      const exited = new Promise<number | string | null>((resolve) =>
        child.once('exit', (code, sig) => resolve(code ?? sig)),
      );
      child.kill(signal);
      const outcome = await Promise.race([
        exited,
        new Promise<'still running'>((r) => setTimeout(() => r('still running'), 20_000)),
      ]);
      expect(outcome).not.toBe('still running');
      expect(Date.now() - startedAt).toBeLessThan(20_000);
      // Nothing is left listening on the port (no orphaned server behind npm).
      await expect(fetch(`${url}/health`, { signal: AbortSignal.timeout(2000) })).rejects.toThrow();
    }, 90_000);
  }
});
