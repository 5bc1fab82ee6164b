// What one y-websocket connection may send, as Socket.IO's `allow`/`strike` do (bind.ts): a token
// bucket of messages per class (sync messages at SOCKET_RATE_LIMIT_PER_SECOND, awareness at
// SOCKET_CURSOR_RATE_PER_SECOND, each with a 2 s burst) and one of bytes. A message over budget is
// dropped and struck; SOCKET_ABUSE_DISCONNECT_AFTER strikes within 10 s close the connection.
// Drops are logged at most once per reason per 10 s, with how many there were since.
import type { Config } from '../../config/config.ts';

export type MessageClass = 'sync' | 'awareness';

export interface YjsLimits {
  syncPerSecond: number;
  awarenessPerSecond: number;
  bytesPerSecond: number;
  /** At least the largest message the transport lets through, so that one always fits after a pause. */
  burstBytes: number;
  /** Strikes within 10 s that close the connection. */
  abuseAfter: number;
}

const BURST_SECONDS = 2;
const WINDOW_MS = 10_000;
/** The bytes an average allowed message may carry: an edit's update is rarely more than a paste. */
const BYTES_PER_MESSAGE = 64 * 1024;

/** The limits of every connection, from the Socket.IO settings (`maxMessageBytes`: the transport's cap). */
export function yjsLimits(config: Config, maxMessageBytes: number): YjsLimits {
  const bytesPerSecond = Math.max(config.MAX_DOC_UPDATE_BYTES, config.SOCKET_RATE_LIMIT_PER_SECOND * BYTES_PER_MESSAGE);
  return {
    syncPerSecond: config.SOCKET_RATE_LIMIT_PER_SECOND,
    awarenessPerSecond: config.SOCKET_CURSOR_RATE_PER_SECOND,
    bytesPerSecond,
    burstBytes: Math.max(bytesPerSecond * BURST_SECONDS, maxMessageBytes),
    abuseAfter: config.SOCKET_ABUSE_DISCONNECT_AFTER,
  };
}

class Bucket {
  private readonly rate: number;
  private readonly capacity: number;
  private tokens: number;
  private at = performance.now();

  constructor(rate: number, capacity: number) {
    this.rate = rate;
    this.capacity = capacity;
    this.tokens = capacity;
  }

  /** Refills for the time elapsed; whether `n` tokens are there. */
  has(n: number, now: number): boolean {
    this.tokens = Math.min(this.capacity, this.tokens + ((now - this.at) / 1000) * this.rate);
    this.at = now;
    return this.tokens >= n;
  }

  take(n: number): void {
    this.tokens -= n;
  }
}

/** One connection's budgets, strikes and drop log. */
export class YjsBudget {
  private readonly messages: Record<MessageClass, Bucket>;
  private readonly bytes: Bucket;
  private readonly abuseAfter: number;
  /** Strike times, oldest first, from `head` on (a queue without shifting the array each time). */
  private strikes: number[] = [];
  private head = 0;
  private readonly logged = new Map<string, { at: number; since: number }>();

  constructor(limits: YjsLimits) {
    this.messages = {
      sync: new Bucket(limits.syncPerSecond, limits.syncPerSecond * BURST_SECONDS),
      awareness: new Bucket(limits.awarenessPerSecond, limits.awarenessPerSecond * BURST_SECONDS),
    };
    this.bytes = new Bucket(limits.bytesPerSecond, limits.burstBytes);
    this.abuseAfter = limits.abuseAfter;
  }

  /** Takes one message of `bytes` from the budget of its class; false when it is over budget (nothing is taken). */
  take(kind: MessageClass, bytes: number, now = performance.now()): boolean {
    const messages = this.messages[kind];
    if (!messages.has(1, now) || !this.bytes.has(bytes, now)) return false;
    messages.take(1);
    this.bytes.take(bytes);
    return true;
  }

  /** Counts a dropped message; true once the connection is past the abuse threshold (close it). */
  strike(now = Date.now()): boolean {
    this.strikes.push(now);
    while (this.strikes[this.head] !== undefined && now - (this.strikes[this.head] as number) >= WINDOW_MS) this.head++;
    if (this.head > 1024) {
      this.strikes = this.strikes.slice(this.head);
      this.head = 0;
    }
    return this.strikes.length - this.head >= this.abuseAfter;
  }

  /** A drop for `reason`: the drops since the last line when one is due now, else null (stay quiet). */
  report(reason: string, now = Date.now()): number | null {
    const entry = this.logged.get(reason);
    if (entry && now - entry.at < WINDOW_MS) {
      entry.since++;
      return null;
    }
    const since = (entry?.since ?? 0) + 1;
    this.logged.set(reason, { at: now, since: 0 });
    return since;
  }
}
