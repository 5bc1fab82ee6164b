// bench/realtime/scale-out — the W3 workload on one node and on two nodes sharing Redis (and, for
// Ensemble, PostgreSQL), for Ensemble and for Hocuspocus with its Redis extension (the peer a team
// would pick to scale out). A script, not a test.
//
//   node_modules/.bin/node bench/realtime/scale-out.ts [--servers ensemble-sio,ensemble-yws,hocuspocus]
//       [--repeats 1] [--seconds 20] [--clients 200] [--docs 20] [--rate 5] [--out bench/realtime/scale-out.json] [--smoke]
//
// Each server runs twice per repeat: one node with Redis, then two nodes with Redis. In the
// two-node run the clients of every document alternate between the nodes, so about half of every
// document's deliveries cross nodes. Reported: total server CPU per edit (both nodes; PostgreSQL
// apart) and per node, fan-out p50/p99 over all deliveries and over the cross-node ones alone.
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { spawnServer, killAllServers, repoRoot } from './servers/child.ts';
import { dropBenchDatabases, ensembleDefinition } from './servers/ensemble.ts';
import type { ServerDefinition, ServerHandle } from './servers/types.ts';
import { runWorkload, type WorkloadResult } from './workload.ts';

const { values: args } = parseArgs({
  options: {
    servers: { type: 'string', default: 'ensemble-sio,ensemble-yws,hocuspocus' },
    repeats: { type: 'string', default: '1' },
    seconds: { type: 'string', default: '20' },
    clients: { type: 'string', default: '200' },
    docs: { type: 'string', default: '20' },
    rate: { type: 'string', default: '5' },
    out: { type: 'string', default: `${repoRoot}bench/realtime/scale-out.json` },
    smoke: { type: 'boolean', default: false },
  },
});
const workload = args.smoke
  ? { clients: 20, docs: 4, seconds: 3, rate: 5 }
  : { clients: Number(args.clients), docs: Number(args.docs), seconds: Number(args.seconds), rate: Number(args.rate) };

/** Hocuspocus with its Redis extension on `nodes` processes. */
function hocuspocusRedis(nodes: number): ServerDefinition {
  return {
    id: 'hocuspocus',
    label: `Hocuspocus + extension-redis, ${nodes} node${nodes > 1 ? 's' : ''}`,
    version: '@hocuspocus/server 4.7.0 + @hocuspocus/extension-redis 4.7.0',
    async start(docCount: number): Promise<ServerHandle> {
      const prefix = `hocuspocus-bench-${randomBytes(4).toString('hex')}`;
      const children = Array.from({ length: nodes }, () =>
        spawnServer(['bench/realtime/servers/hocuspocus-redis.ts'], { BENCH_HOCUSPOCUS_PREFIX: prefix }),
      );
      const ports = await Promise.all(
        children.map(async (c) => Number((await c.waitForLine(/LISTENING (\d+)/, 20_000))[1])),
      );
      const wsUrlOf = (port: number) => (docName: string) => `ws://127.0.0.1:${port}/${docName}`;
      const first = children[0] as (typeof children)[number];
      return {
        id: 'hocuspocus',
        pid: first.pid,
        protocol: 'hocuspocus',
        baseUrl: `http://127.0.0.1:${ports[0]}`,
        docNames: Array.from({ length: docCount }, (_, i) => `bench-doc-${i}`),
        wsUrl: wsUrlOf(ports[0] as number),
        ...(nodes > 1
          ? {
              nodes: children.map((c, i) => ({
                pid: c.pid,
                baseUrl: `http://127.0.0.1:${ports[i]}`,
                wsUrl: wsUrlOf(ports[i] as number),
              })),
            }
          : {}),
        stateful: true,
        gc: first.gc,
        stop: async () => {
          await Promise.all(children.map((c) => c.stop()));
        },
      };
    },
  };
}

const LAYOUTS: Record<string, (nodes: number) => ServerDefinition> = {
  'ensemble-sio': (nodes) => ensembleDefinition('ensemble-sio', { nodes, redis: true }),
  'ensemble-yws': (nodes) => ensembleDefinition('ensemble-yws', { nodes, redis: true }),
  hocuspocus: hocuspocusRedis,
};

interface Row {
  label: string;
  nodes: number;
  repeat: number;
  result: WorkloadResult;
}

const fmt = (n: number | undefined, digits = 1) => (n === undefined || Number.isNaN(n) ? '—' : n.toFixed(digits));

function table(rows: Row[]): string {
  const lines = [
    '| Server | nodes | CPU µs/edit (all nodes) | per node | + PostgreSQL | p50 / p99 ms | cross-node p50 / p99 ms | delivered / expected | converged |',
    '|---|--:|--:|--:|--:|--:|--:|--:|:-:|',
  ];
  for (const { label, nodes, result: r } of rows) {
    const perNode = r.nodeCpuPerEditMicros?.map((v) => fmt(v, 0)).join(' + ') ?? fmt(r.serverCpuPerEditMicros, 0);
    lines.push(
      `| ${label} | ${nodes} | ${fmt(r.serverCpuPerEditMicros, 0)} | ${perNode} | ${fmt(r.helperCpuPerEditMicros, 0)} | ` +
        `${fmt(r.latencyP50Ms)} / ${fmt(r.latencyP99Ms)} | ${fmt(r.crossNodeP50Ms)} / ${fmt(r.crossNodeP99Ms)} | ` +
        `${r.delivered} / ${r.expectedDeliveries} | ${r.converged ? 'yes' : r.convergence} |`,
    );
  }
  return lines.join('\n');
}

process.on('SIGINT', () => {
  killAllServers();
  void dropBenchDatabases().finally(() => process.exit(130));
});

const rows: Row[] = [];
try {
  for (let repeat = 1; repeat <= Number(args.repeats); repeat++) {
    for (const id of (args.servers as string).split(',')) {
      const layout = LAYOUTS[id];
      if (!layout) throw new Error(`unknown server ${id}; choose from ${Object.keys(LAYOUTS).join(', ')}`);
      for (const nodes of [1, 2]) {
        const definition = layout(nodes);
        process.stderr.write(`repeat ${repeat}: ${definition.label}\n`);
        const server = await definition.start(workload.docs);
        try {
          rows.push({ label: definition.label, nodes, repeat, result: await runWorkload(server, workload) });
        } finally {
          await server.stop();
        }
        if (!args.smoke)
          writeFileSync(
            args.out as string,
            `${JSON.stringify({ workload, at: new Date().toISOString(), rows }, null, 2)}\n`,
          );
      }
    }
  }
} finally {
  killAllServers();
  await dropBenchDatabases();
}
process.stdout.write(`${table(rows)}\n`);
process.exit(0);
