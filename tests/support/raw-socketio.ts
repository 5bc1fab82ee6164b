// A raw Engine.IO/Socket.IO client over `ws`, for frames a well-behaved socket.io-client would never
// send (hostile nesting, malformed packets): connect, send text frames, await the frames that come back.
import WebSocket from 'ws';

export interface RawSocket {
  ws: WebSocket;
  /** Sends one text frame exactly as given (e.g. `421["event",{}]`). */
  send(frame: string): void;
  /** The next text frame that starts with `prefix` (pings are answered, not returned). */
  next(prefix: string, ms?: number): Promise<string>;
  /** Resolves with the close code when the server closes the connection. */
  closed: Promise<number>;
  close(): void;
}

/** Opens the main namespace with `auth: { token }`; resolves once the server sent its connect packet. */
export async function rawConnect(url: string, token: string): Promise<RawSocket> {
  const ws = new WebSocket(`${url.replace(/^http/, 'ws')}/socket.io/?EIO=4&transport=websocket`);
  const frames: string[] = [];
  const waiters: { prefix: string; resolve: (f: string) => void }[] = [];
  ws.on('message', (data: Buffer, binary: boolean) => {
    if (binary) return;
    const frame = data.toString();
    if (frame === '2') return void ws.send('3');
    const waiter = waiters.find((w) => frame.startsWith(w.prefix));
    if (waiter) {
      waiters.splice(waiters.indexOf(waiter), 1);
      waiter.resolve(frame);
    } else frames.push(frame);
  });
  const closed = new Promise<number>((ok) => ws.once('close', (code) => ok(code)));
  const next = (prefix: string, ms = 5000) =>
    new Promise<string>((resolve, reject) => {
      const queued = frames.findIndex((f) => f.startsWith(prefix));
      if (queued >= 0) return resolve(frames.splice(queued, 1)[0] as string);
      const timer = setTimeout(() => reject(new Error(`no frame starting with ${prefix} within ${ms} ms`)), ms).unref();
      waiters.push({
        prefix,
        resolve: (f) => {
          clearTimeout(timer);
          resolve(f);
        },
      });
    });
  await new Promise<void>((ok, fail) => {
    ws.once('open', () => ok());
    ws.once('error', fail);
  });
  await next('0{');
  ws.send(`40${JSON.stringify({ token })}`);
  await next('40');
  return { ws, send: (frame) => ws.send(frame), next, closed, close: () => ws.close() };
}
