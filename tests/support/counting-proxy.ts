// A TCP proxy on 127.0.0.1 that counts the bytes the upstream server sends: how much a client
// really reads over the wire (e.g. from PostgreSQL), measured rather than estimated.
import { createConnection, createServer, type Server, type Socket } from 'node:net';

export interface CountingProxy {
  port: number;
  /** Bytes from the upstream to clients since start (or the last reset). */
  received(): number;
  reset(): void;
  close(): Promise<void>;
}

/** Proxies 127.0.0.1:<port> to `host:port`. */
export async function countingProxy(host: string, port: number): Promise<CountingProxy> {
  let received = 0;
  const sockets = new Set<Socket>();
  const server: Server = createServer((client) => {
    const upstream = createConnection({ host, port });
    sockets.add(client).add(upstream);
    upstream.on('data', (chunk: Buffer) => {
      received += chunk.length;
    });
    client.pipe(upstream);
    upstream.pipe(client);
    const end = () => {
      client.destroy();
      upstream.destroy();
      sockets.delete(client);
      sockets.delete(upstream);
    };
    client.on('error', end).on('close', end);
    upstream.on('error', end).on('close', end);
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  return {
    port: (server.address() as { port: number }).port,
    received: () => received,
    reset: () => void (received = 0),
    close: () =>
      new Promise<void>((ok) => {
        for (const s of sockets) s.destroy();
        server.close(() => ok());
      }),
  };
}
