// Cross-node invalidation of the in-memory caches (src/utils/ttl-cache.ts). A change that makes a
// cached answer wrong — a session revoked, a member removed, a webhook deleted — is announced as
// `{ kind, key }`: this node's subscribers drop it synchronously, before the caller goes on, and
// the other nodes over Redis pub/sub. The publishing node waits (briefly) for Redis to take the
// message, so it is on its way to every node before the client hears the change was made.
// Messages lost while a node's subscription was down cannot be replayed: the node clears every
// cache when the subscription drops and again when it is back, and caches nothing meanwhile.
// Single-node mode uses the local channel: the same synchronous delivery, nobody else to tell.
import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';

/** What a cached value is: a user's sessions (key: user id), a team's webhooks (key: team id). */
export type CacheKind = 'session' | 'webhooks' | 'designSystem';

export interface CacheInvalidation {
  /** Drops `key` of `kind` on this node now and on the other nodes; resolves once Redis took it (≤ 500 ms). */
  invalidate(kind: CacheKind, key: string): Promise<void>;
  /** Receives every invalidation of a kind, this node's own included. */
  on(kind: CacheKind, handler: (key: string) => void): void;
  /** Called when everything cached must go (the subscription dropped or came back). */
  onReset(handler: () => void): void;
  /** False while this node may be missing invalidations: caches then read through and store nothing. */
  listening(): boolean;
  close(): Promise<void>;
}

/** How long `invalidate` waits for Redis before going on (a message lost then is bounded by the TTLs). */
const PUBLISH_WAIT_MS = 500;

/** Handlers by kind, and the reset handlers: what both variants deliver to. */
function handlerTable() {
  const byKind = new Map<CacheKind, ((key: string) => void)[]>();
  const resets: (() => void)[] = [];
  return {
    on(kind: CacheKind, handler: (key: string) => void) {
      byKind.set(kind, [...(byKind.get(kind) ?? []), handler]);
    },
    onReset(handler: () => void) {
      resets.push(handler);
    },
    deliver(kind: CacheKind, key: string) {
      for (const handler of byKind.get(kind) ?? []) handler(key);
    },
    reset() {
      for (const handler of resets) handler();
    },
  };
}

/** The channel for one process: invalidations reach this node's caches only. */
export function localInvalidation(): CacheInvalidation {
  const table = handlerTable();
  return {
    async invalidate(kind, key) {
      table.deliver(kind, key);
    },
    on: table.on,
    onReset: table.onReset,
    listening: () => true,
    close: async () => undefined,
  };
}

interface Message {
  node: string;
  kind: CacheKind;
  key: string;
}

const KINDS: readonly CacheKind[] = ['session', 'webhooks', 'designSystem'];

/**
 * Redis pub/sub on channel `<prefix>cache-invalidation`, message `{ node, kind, key }` as JSON;
 * `subscriber` may be shared with other channels (the document bus's). Resolves once subscribed.
 */
export async function redisInvalidation(
  publisher: Redis,
  subscriber: Redis,
  prefix: string,
): Promise<CacheInvalidation> {
  const node = randomUUID();
  const channel = `${prefix}cache-invalidation`;
  const channelBytes = Buffer.from(channel);
  const table = handlerTable();
  let up = false;
  // Buffers, not 'message': a 'message' listener makes ioredis decode every message on the shared
  // connection (the documents' binary updates) into strings.
  const onMessage = (from: Buffer, payload: Buffer) => {
    if (!from.equals(channelBytes)) return;
    let message: Message;
    try {
      message = JSON.parse(payload.toString()) as Message;
    } catch {
      return;
    }
    if (message.node === node || !KINDS.includes(message.kind) || typeof message.key !== 'string') return;
    table.deliver(message.kind, message.key);
  };
  // Down: what arrives from now on may be missing messages; back: what was cached meanwhile is suspect.
  const onDown = () => {
    if (!up) return;
    up = false;
    table.reset();
  };
  // 'ready' comes before ioredis re-subscribes: listening again only once our own SUBSCRIBE is answered.
  const onReady = () => {
    if (up) return;
    void subscriber
      .subscribe(channel)
      .then(() => {
        if (up || subscriber.status !== 'ready') return;
        table.reset();
        up = true;
      })
      .catch(() => undefined);
  };
  subscriber.on('messageBuffer', onMessage);
  subscriber.on('close', onDown);
  subscriber.on('ready', onReady);
  await subscriber.subscribe(channel);
  up = subscriber.status === 'ready';
  return {
    async invalidate(kind, key) {
      table.deliver(kind, key);
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([
        publisher.publish(channel, JSON.stringify({ node, kind, key } satisfies Message)).catch(() => undefined),
        new Promise((ok) => (timer = setTimeout(ok, PUBLISH_WAIT_MS))),
      ]);
      clearTimeout(timer);
    },
    on: table.on,
    onReset: table.onReset,
    listening: () => up,
    async close() {
      subscriber.off('messageBuffer', onMessage);
      subscriber.off('close', onDown);
      subscriber.off('ready', onReady);
      // Not awaited: with Redis down the command would wait in the offline queue and hold up shutdown.
      void subscriber.unsubscribe(channel).catch(() => undefined);
    },
  };
}

/** The key that stands for every key of a kind (a team deleted: all its members' sessions). */
export const EVERY_KEY = '*';

/** Keeps a cache in step with the channel: a kind's invalidations drop their key's group, a reset everything. */
export function bindCache(
  invalidation: CacheInvalidation,
  kind: CacheKind,
  cache: { delete(group: string): void; clear(): void },
): void {
  invalidation.on(kind, (key) => (key === EVERY_KEY ? cache.clear() : cache.delete(key)));
  invalidation.onReset(() => cache.clear());
}
