// Turns per-run records into medians, a markdown table and results.json.
import { writeFileSync } from 'node:fs';
import { cpus, release, totalmem } from 'node:os';
import type { IdleResult } from './idle.ts';
import { median } from './metrics.ts';
import type { ServerId } from './servers/types.ts';
import type { WorkloadResult } from './workload.ts';

export interface RunRecord {
  repeat: number;
  server: ServerId;
  label: string;
  version: string;
  workload?: WorkloadResult;
  idle?: IdleResult;
  error?: string;
}

export interface ServerSummary {
  server: ServerId;
  label: string;
  version: string;
  runs: number;
  cpuPerEditMicros: number;
  ratioToWs: number;
  helperCpuPerEditMicros?: number;
  latencyP50Ms: number;
  latencyP99Ms: number;
  peakRssMib: number;
  delivered: number;
  expected: number;
  exactRuns: number;
  convergedRuns: number;
  idlePerConnectionKib: number;
  idleRawPerConnectionKib: number;
  clientCpuPercent: number;
  /** Median cores used by unrelated processes during the measured windows (noise indicator). */
  otherLoadCores: number;
  errors: string[];
}

export function summarize(records: RunRecord[], order: ServerId[]): ServerSummary[] {
  const wsByRepeat = new Map(
    records.filter((r) => r.server === 'ws' && r.workload).map((r) => [r.repeat, r.workload!.serverCpuPerEditMicros]),
  );
  return order.flatMap((id) => {
    const mine = records.filter((r) => r.server === id);
    const first = mine[0];
    if (!first) return [];
    const runs = mine.flatMap((r) => (r.workload ? [r.workload] : []));
    const idles = mine.flatMap((r) => (r.idle ? [r.idle] : []));
    const ratios = mine.flatMap((r) => {
      const floor = wsByRepeat.get(r.repeat);
      return r.workload && floor ? [r.workload.serverCpuPerEditMicros / floor] : [];
    });
    const helper = runs.flatMap((w) => (w.helperCpuPerEditMicros === undefined ? [] : [w.helperCpuPerEditMicros]));
    return [
      {
        server: id,
        label: first.label,
        version: first.version,
        runs: runs.length,
        cpuPerEditMicros: median(runs.map((w) => w.serverCpuPerEditMicros)),
        ratioToWs: median(ratios),
        ...(helper.length ? { helperCpuPerEditMicros: median(helper) } : {}),
        latencyP50Ms: median(runs.map((w) => w.latencyP50Ms)),
        latencyP99Ms: median(runs.map((w) => w.latencyP99Ms)),
        peakRssMib: median(runs.map((w) => w.peakRssKib / 1024)),
        delivered: median(runs.map((w) => w.delivered)),
        expected: median(runs.map((w) => w.expectedDeliveries)),
        exactRuns: runs.filter((w) => w.delivered === w.expectedDeliveries && w.unmatched === 0).length,
        convergedRuns: runs.filter((w) => w.converged).length,
        idlePerConnectionKib: median(idles.map((i) => i.perConnectionKib)),
        idleRawPerConnectionKib: median(idles.map((i) => i.rawPerConnectionKib)),
        clientCpuPercent: median(runs.map((w) => w.clientCpuPercent)),
        otherLoadCores: median(runs.map((w) => w.otherLoadCores ?? NaN)),
        errors: mine.flatMap((r) => (r.error ? [`repeat ${r.repeat}: ${r.error}`] : [])),
      },
    ];
  });
}

const fmt = (value: number, digits = 1): string => (Number.isFinite(value) ? value.toFixed(digits) : '–');

export function markdownTable(summaries: ServerSummary[], idleConnections: number): string {
  const lines = [
    `| Server | Version | Server CPU µs/edit | × bare ws | p50 ms | p99 ms | Peak RSS MiB | Delivered / expected | Converged | Idle KiB/conn @${idleConnections} | Client CPU % | Other load (cores) |`,
    '|---|---|--:|--:|--:|--:|--:|--:|:-:|--:|--:|--:|',
  ];
  for (const s of summaries) {
    const helper = s.helperCpuPerEditMicros === undefined ? '' : ` (+${fmt(s.helperCpuPerEditMicros, 0)} PostgreSQL)`;
    lines.push(
      `| ${s.label} | ${s.version} | ${fmt(s.cpuPerEditMicros, 0)}${helper} | ${fmt(s.ratioToWs, 2)}× | ${fmt(s.latencyP50Ms)} | ${fmt(s.latencyP99Ms)} | ${fmt(s.peakRssMib)} | ` +
        `${fmt(s.delivered, 0)} / ${fmt(s.expected, 0)} (${s.exactRuns}/${s.runs} exact) | ${s.convergedRuns}/${s.runs} | ${fmt(s.idlePerConnectionKib)} | ${fmt(s.clientCpuPercent, 0)} | ${fmt(s.otherLoadCores, 2)} |`,
    );
  }
  return lines.join('\n');
}

export function writeResults(path: string, options: object, records: RunRecord[], summaries: ServerSummary[]): void {
  const machine = {
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model,
    memoryGib: +(totalmem() / 2 ** 30).toFixed(1),
    kernel: release(),
    node: process.version,
  };
  writeFileSync(
    path,
    `${JSON.stringify({ writtenAt: new Date().toISOString(), machine, options, summary: summaries, runs: records }, null, 2)}\n`,
  );
}
