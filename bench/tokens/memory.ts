// The server's peak resident memory per step: VmHWM, which `5` written to /proc/<pid>/clear_refs
// resets to the current RSS (Linux ≥ 4.0), so each step's peak is its own.
import { writeFileSync } from 'node:fs';
import { processMemoryKib } from '../realtime/metrics.ts';

/** Starts a new peak at the current RSS. */
export function resetPeak(pid: number): void {
  writeFileSync(`/proc/${pid}/clear_refs`, '5');
}

/** The peak RSS since the last reset, in MiB. */
export function peakRssMib(pid: number): number {
  return Math.round(processMemoryKib(pid).peakKib / 1024);
}
