// Connects many clients with bounded concurrency (a burst of thousands of handshakes would
// measure the accept queue, not the server).
import type { ServerHandle } from '../servers/types.ts';
import type { BenchClient } from './bench-client.ts';
import { connect, type TransportStats } from './transport.ts';

export async function connectAll(
  server: ServerHandle,
  clients: BenchClient[],
  stats: TransportStats,
  options: { concurrency: number; timeoutMs: number },
): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < clients.length) {
      const client = clients[next++]!;
      const docName = server.docNames[client.docIndex]!;
      client.transport = connect(onNode(server, client.node), docName, client, stats);
      await withTimeout(client.transport.ready, options.timeoutMs, `client for ${docName}`);
    }
  };
  await Promise.all(Array.from({ length: Math.min(options.concurrency, clients.length) }, worker));
}

export async function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: no sync within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** The server as seen by a client of node `node` (the server itself when it runs as one process). */
export function onNode(server: ServerHandle, node: number): ServerHandle {
  const target = server.nodes?.[node % server.nodes.length];
  return target ? { ...server, baseUrl: target.baseUrl, wsUrl: target.wsUrl } : server;
}
