// The y-websocket connections that do not read what they are sent. Past the buffer cap a connection
// gets no more relays (updates, awareness); once it has read down to a quarter of the cap it is
// caught up — the rooms send it the whole document (Yjs skips what it has) and ask for what the
// server lacks. The buffer is looked at every 1/16 of the cap written, so a relay costs an addition.
import type { YConnection } from './yjs-connection.ts';

const CHECK_EVERY_MS = 250;

/** Slow readers of this node's y-websocket connections. */
export class YjsSlowReaders {
  private readonly maxBuffered: number;
  private readonly onSlowReader: () => void;
  private readonly catchUp: (conn: YConnection) => void;
  private readonly behind = new Set<YConnection>();
  private timer: NodeJS.Timeout | null = null;

  constructor(maxBuffered: number, onSlowReader: () => void, catchUp: (conn: YConnection) => void) {
    this.maxBuffered = maxBuffered;
    this.onSlowReader = onSlowReader;
    this.catchUp = catchUp;
  }

  /** Connections held back now. */
  get size(): number {
    return this.behind.size;
  }

  /** Whether a relay of `bytes` to `conn` must be skipped: it is behind, or more than the cap waits for it now. */
  heldBack(conn: YConnection, bytes: number): boolean {
    if (conn.behind) return true;
    conn.unchecked += bytes;
    if (conn.unchecked < this.maxBuffered / 16) return false;
    conn.unchecked = 0;
    if (!this.overCap(conn)) return false;
    this.fallBehind(conn);
    return true;
  }

  /** More than the cap waits to be sent to `conn`. */
  overCap(conn: YConnection): boolean {
    return conn.ws.bufferedAmount > this.maxBuffered;
  }

  /** Holds `conn` back until it has read its buffer down. */
  fallBehind(conn: YConnection): void {
    conn.behind = true;
    this.behind.add(conn);
    this.onSlowReader();
    this.timer ??= setInterval(() => this.check(), CHECK_EVERY_MS);
    this.timer.unref();
  }

  /** The connection closed. */
  forget(conn: YConnection): void {
    this.behind.delete(conn);
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  private check(): void {
    for (const conn of this.behind) {
      if (conn.ws.readyState !== conn.ws.OPEN) {
        this.behind.delete(conn);
        continue;
      }
      if (conn.ws.bufferedAmount > this.maxBuffered / 4) continue;
      this.behind.delete(conn);
      conn.behind = false;
      this.catchUp(conn);
    }
    if (!this.behind.size) this.stop();
  }
}
