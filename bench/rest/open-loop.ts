// An open-loop load generator for bench/rest/load.ts --smooth: requests start on a fixed schedule
// (one every 1000 / rate ms, whatever the answers do) over a pool of keep-alive connections, and
// each latency is measured from the request's scheduled start, so a stalled server is charged for
// every request it held back (no coordinated omission by construction). autocannon's fixed rate
// instead sends each connection's share of a second as fast as answers come: bursts.
import http from 'node:http';

export interface OpenLoopRequest {
  method: string;
  /** Paths taken in turn. */
  paths: string[];
  headers: Record<string, string>;
  /** The body; `[<id>]` in it becomes a fresh id per request. */
  body?: string;
}

export interface OpenLoopResult {
  /** Latency of each answered request, ms from its scheduled start. */
  times: number[];
  requests: number;
  errors: number;
  /** Error code → count (ECONNRESET…), to tell a server failure from a client-side one. */
  errorCodes: Record<string, number>;
  non2xx: number;
}

/** Sends `rate` requests a second for `seconds` to `baseUrl`. */
export async function openLoop(
  baseUrl: string,
  request: OpenLoopRequest,
  rate: number,
  seconds: number,
): Promise<OpenLoopResult> {
  const { hostname, port } = new URL(baseUrl);
  const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
  const result: OpenLoopResult = { times: [], requests: 0, errors: 0, errorCodes: {}, non2xx: 0 };
  const interval = 1000 / rate;
  const total = Math.round(rate * seconds);
  const inFlight = new Set<Promise<void>>();
  const start = performance.now();
  for (let i = 0; i < total; i++) {
    const due = start + i * interval;
    const wait = due - performance.now();
    if (wait > 1) await new Promise((resolve) => setTimeout(resolve, wait - 0.5));
    while (performance.now() < due) await new Promise((resolve) => setImmediate(resolve));
    const body = request.body?.replaceAll('[<id>]', `${i}-${Math.random().toString(36).slice(2)}`);
    const sent = new Promise<void>((resolve) => {
      const req = http.request(
        {
          hostname,
          port,
          agent,
          method: request.method,
          path: request.paths[i % request.paths.length],
          headers: { ...request.headers, ...(body ? { 'content-length': Buffer.byteLength(body) } : {}) },
        },
        (res) => {
          res.resume();
          res.on('end', () => {
            result.requests++;
            if ((res.statusCode ?? 0) >= 300) result.non2xx++;
            result.times.push(performance.now() - due);
            resolve();
          });
        },
      );
      req.on('error', (err: NodeJS.ErrnoException) => {
        result.errors++;
        const code = err.code ?? err.message;
        result.errorCodes[code] = (result.errorCodes[code] ?? 0) + 1;
        resolve();
      });
      req.end(body);
    });
    inFlight.add(sent);
    void sent.then(() => inFlight.delete(sent));
  }
  await Promise.all(inFlight);
  agent.destroy();
  return result;
}
