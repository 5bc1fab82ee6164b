// The four peers Ensemble is compared with, each a child process started from a script in
// this folder that prints `LISTENING <port>`.
import { readFileSync } from 'node:fs';
import { spawnServer, repoRoot } from './child.ts';
import type { Protocol, ServerDefinition, ServerHandle, ServerId } from './types.ts';

const versionOf = (pkg: string): string =>
  (JSON.parse(readFileSync(`${repoRoot}node_modules/${pkg}/package.json`, 'utf8')) as { version: string }).version;

function peer(
  id: ServerId,
  label: string,
  version: string,
  script: string,
  protocol: Protocol,
  stateful: boolean,
): ServerDefinition {
  return {
    id,
    label,
    version,
    async start(docCount: number): Promise<ServerHandle> {
      // BENCH_PEER_NODE_FLAGS (e.g. --cpu-prof) profiles the peers as BENCH_ENSEMBLE_NODE_FLAGS does Ensemble.
      const flags = (process.env.BENCH_PEER_NODE_FLAGS ?? '').split(' ').filter(Boolean);
      const child = spawnServer([...flags, `bench/realtime/servers/${script}`]);
      const port = Number((await child.waitForLine(/LISTENING (\d+)/, 20_000))[1]);
      const docNames = Array.from({ length: docCount }, (_, i) => `bench-doc-${i}`);
      return {
        id,
        pid: child.pid,
        protocol,
        baseUrl: `http://127.0.0.1:${port}`,
        docNames,
        wsUrl: (docName) => `ws://127.0.0.1:${port}/${docName}`,
        stateful,
        gc: child.gc,
        stop: child.stop,
      };
    },
  };
}

export const peers: ServerDefinition[] = [
  peer('ws', 'bare ws relay', `ws ${versionOf('ws')}`, 'ws-relay.ts', 'ws-relay', false),
  peer(
    'yws',
    '@y/websocket-server',
    `@y/websocket-server ${versionOf('@y/websocket-server')}`,
    'yws.ts',
    'y-websocket',
    true,
  ),
  peer(
    'hocuspocus',
    'Hocuspocus',
    `@hocuspocus/server ${versionOf('@hocuspocus/server')}`,
    'hocuspocus.ts',
    'hocuspocus',
    true,
  ),
  peer('sio', 'bare Socket.IO broadcast', `socket.io ${versionOf('socket.io')}`, 'sio-relay.ts', 'sio-relay', false),
];
