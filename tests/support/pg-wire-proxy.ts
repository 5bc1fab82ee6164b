// A TCP proxy in front of PostgreSQL that reads what clients send, message by message (the wire
// protocol's framing): it counts the statements they run — one Execute per extended-protocol
// query, one Query per simple one — and the bytes the server sends back: measured on the wire
// rather than by counting our own calls or estimating. It can also cut the database off (every
// connection dropped, new ones refused) to stage an outage.
import { createConnection, createServer, type Server, type Socket } from 'node:net';

export interface PgWireProxy {
  /** `databaseUrl` with its host and port pointing at the proxy. */
  url: string;
  /** Statements sent through the proxy since start (or the last reset). */
  statements(): number;
  /** The SQL texts parsed or queried since start (or the last reset), in order. */
  texts(): string[];
  /** Bytes from the server to clients since start (or the last reset). */
  received(): number;
  reset(): void;
  /** Drops every connection and refuses new ones until `restore()`. */
  cut(): void;
  restore(): void;
  close(): Promise<void>;
}

// Startup-phase requests that are followed by another startup-phase message.
const SSL_REQUEST = 80877103;
const GSSENC_REQUEST = 80877104;

/** Counts the statements in a client's byte stream, however it is split into chunks. */
function statementCounter(count: () => void, text: (sql: string) => void): (chunk: Buffer) => void {
  let buffered = Buffer.alloc(0);
  let startup = true;
  return (chunk) => {
    buffered = Buffer.concat([buffered, chunk]);
    for (;;) {
      if (startup) {
        // Untyped: Int32 length (itself included), Int32 code, rest.
        if (buffered.length < 8) return;
        const length = buffered.readInt32BE(0);
        if (buffered.length < length) return;
        const code = buffered.readInt32BE(4);
        startup = code === SSL_REQUEST || code === GSSENC_REQUEST;
        buffered = buffered.subarray(length);
      } else {
        // Typed: Byte1 type, Int32 length (itself included, not the type byte), rest.
        if (buffered.length < 5) return;
        const length = buffered.readInt32BE(1);
        if (buffered.length < 1 + length) return;
        const type = String.fromCharCode(buffered[0] as number);
        if (type === 'E' || type === 'Q') count();
        // Parse: statement name, then the SQL, each NUL-terminated. Query: the SQL.
        const body = buffered.subarray(5, 1 + length);
        if (type === 'P') text(body.subarray(body.indexOf(0) + 1, body.indexOf(0, body.indexOf(0) + 1)).toString());
        if (type === 'Q') text(body.subarray(0, body.indexOf(0)).toString());
        buffered = buffered.subarray(1 + length);
      }
    }
  };
}

/** Starts a proxy on 127.0.0.1 for the server of `databaseUrl`. */
export async function pgWireProxy(databaseUrl: string): Promise<PgWireProxy> {
  const upstreamUrl = new URL(databaseUrl);
  let statements = 0;
  let texts: string[] = [];
  let received = 0;
  let down = false;
  const sockets = new Set<Socket>();
  const server: Server = createServer((client) => {
    if (down) {
      client.destroy();
      return;
    }
    const upstream = createConnection({ host: upstreamUrl.hostname, port: Number(upstreamUrl.port || 5432) });
    sockets.add(client).add(upstream);
    const counter = statementCounter(
      () => statements++,
      (sql) => texts.push(sql),
    );
    client.on('data', (chunk: Buffer) => {
      counter(chunk);
      upstream.write(chunk);
    });
    upstream.on('data', (chunk: Buffer) => {
      received += chunk.length;
    });
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
  const url = new URL(databaseUrl);
  url.hostname = '127.0.0.1';
  url.port = String((server.address() as { port: number }).port);
  return {
    url: url.toString(),
    statements: () => statements,
    texts: () => texts,
    received: () => received,
    reset: () => {
      statements = 0;
      texts = [];
      received = 0;
    },
    cut: () => {
      down = true;
      for (const s of sockets) s.destroy();
    },
    restore: () => void (down = false),
    close: () =>
      new Promise<void>((ok) => {
        for (const s of sockets) s.destroy();
        server.close(() => ok());
      }),
  };
}
