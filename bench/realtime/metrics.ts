// Measurements read from outside a process (/proc) and small statistics helpers.
// CPU comes from /proc/<pid>/stat (utime + stime, in clock ticks), memory from
// /proc/<pid>/status (VmRSS now, VmHWM = peak since the process started).
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

const clockTicksPerSecond = Number(execFileSync('getconf', ['CLK_TCK']).toString().trim()) || 100;

/** User + system CPU time of a process, in microseconds. */
export function processCpuMicros(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // The command name (field 2) may contain spaces; fields after its closing ')' are plain.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // After the comm field, utime and stime are the 12th and 13th (fields 14 and 15 of proc(5)).
  const ticks = Number(fields[11]) + Number(fields[12]);
  return (ticks * 1_000_000) / clockTicksPerSecond;
}

/** Kernel-side CPU time of a process (stime), in microseconds: on loopback, mostly TCP sends. */
export function processSystemMicros(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[12]) * 1_000_000) / clockTicksPerSecond;
}

/** Write system calls a process has made (`syscw` of /proc/<pid>/io; write, writev, sendmsg…). */
export function processWriteSyscalls(pid: number): number {
  return Number(/^syscw:\s+(\d+)/m.exec(readFileSync(`/proc/${pid}/io`, 'utf8'))?.[1] ?? NaN);
}

/** VmRSS and VmHWM of a process, in KiB. */
export function processMemoryKib(pid: number): { rssKib: number; peakKib: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const field = (name: string): number => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
  return { rssKib: field('VmRSS'), peakKib: field('VmHWM') };
}

/** Busy CPU time of the whole machine (all cores, /proc/stat), in microseconds. */
export function machineBusyMicros(): number {
  const line = readFileSync('/proc/stat', 'utf8').split('\n', 1)[0] ?? '';
  // cpu user nice system idle iowait irq softirq steal ...
  const [, user, nice, system, , , irq, softirq, steal] = line.trim().split(/\s+/).map(Number);
  const ticks = (user ?? 0) + (nice ?? 0) + (system ?? 0) + (irq ?? 0) + (softirq ?? 0) + (steal ?? 0);
  return (ticks * 1_000_000) / clockTicksPerSecond;
}

/**
 * Other people share this machine (test suites, editors). Waits, up to `maxWaitMs`, for a
 * second in which the machine is busy less than `maxCores` cores; returns the busy cores seen.
 */
export async function waitForQuietMachine(maxCores: number, maxWaitMs: number): Promise<number> {
  const deadline = Date.now() + maxWaitMs;
  for (;;) {
    const before = machineBusyMicros();
    await sleep(1000);
    const cores = (machineBusyMicros() - before) / 1_000_000;
    if (cores <= maxCores || Date.now() > deadline) return cores;
  }
}

/** Percentile by nearest rank over the first `count` values (sorts a copy). */
export function percentile(values: Float64Array, count: number, p: number): number {
  if (count === 0) return NaN;
  const sorted = values.slice(0, count).sort();
  const rank = Math.min(count - 1, Math.max(0, Math.ceil((p / 100) * count) - 1));
  return sorted[rank] ?? NaN;
}

export function median(values: number[]): number {
  const finite = values.filter((v) => Number.isFinite(v)).sort((a, b) => a - b);
  if (finite.length === 0) return NaN;
  const mid = finite.length >> 1;
  return finite.length % 2 === 1 ? finite[mid]! : (finite[mid - 1]! + finite[mid]!) / 2;
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Resolves once `condition` holds, or with false after `timeoutMs` (polling every `everyMs`). */
export async function waitFor(condition: () => boolean, timeoutMs: number, everyMs = 20): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) return false;
    await sleep(everyMs);
  }
  return true;
}
