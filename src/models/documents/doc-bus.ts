// Cross-node fan-out of document changes. Every node that holds a document open subscribes to its
// channel; a durable change is published once and applied by the other nodes' copies. One more
// channel tells every node that a team, design system or component was deleted, so each drops its
// copies and closes their connections. Single-node mode uses the no-op bus.
import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';

export interface DocumentBus {
  readonly nodeId: string;
  /** Announces a durable update (with its log row id) or an awareness message to the other nodes. */
  publish(channel: 'doc' | 'awareness', name: string, payload: Uint8Array, rowId?: number): void;
  /** Receives the other nodes' messages for a document; resolves once subscribed. */
  subscribe(name: string, handler: BusHandler): Promise<() => Promise<void>>;
  /** Called when the bus reconnected after a drop (messages may have been missed meanwhile). */
  onReconnect(handler: () => void): void;
  /** Tells the other nodes that the documents of a deleted team, design system or component are gone. */
  publishDeleted(scope: DeletedScope): void;
  /** Receives the other nodes' deletions. */
  onDeleted(handler: (scope: DeletedScope) => void): void;
  close(): Promise<void>;
}

/** What was deleted: one of a team, a design system or a component. */
export type DeletedScope = { teamId: string } | { designSystemId: string } | { componentId: string };

/** A document's messages from other nodes; `rowId` is the update's log row (0 for awareness). */
export type BusHandler = (channel: 'doc' | 'awareness', payload: Uint8Array, rowId: number) => void;

/** A bus for one process: nothing to tell anyone. */
export function localBus(): DocumentBus {
  return {
    nodeId: randomUUID(),
    publish: () => undefined,
    subscribe: async () => async () => undefined,
    onReconnect: () => undefined,
    publishDeleted: () => undefined,
    onDeleted: () => undefined,
    close: async () => undefined,
  };
}

const ID_BYTES = 36;
const HEADER_BYTES = ID_BYTES + 1 + 8;

/**
 * Redis pub/sub: channel `<prefix>doc:<name>`; message = node id (36 bytes) + kind byte + log row
 * id (8 bytes, big-endian) + payload.
 */
export function redisBus(publisher: Redis, subscriber: Redis, prefix: string): DocumentBus {
  const nodeId = randomUUID();
  const nodeBytes = Buffer.from(nodeId);
  const handlers = new Map<string, Set<BusHandler>>();
  const channelOf = (name: string) => `${prefix}doc:${name}`;
  const reconnectHandlers: (() => void)[] = [];
  const deletedChannel = `${prefix}docs-deleted`;
  const deletedHandlers: ((scope: DeletedScope) => void)[] = [];
  let readyOnce = subscriber.status === 'ready';
  subscriber.on('ready', () => {
    if (readyOnce) for (const handler of reconnectHandlers) handler();
    readyOnce = true;
  });
  subscriber.on('messageBuffer', (channel: Buffer, message: Buffer) => {
    if (channel.toString() === deletedChannel) {
      if (message.subarray(0, ID_BYTES).equals(nodeBytes)) return;
      let scope: DeletedScope;
      try {
        scope = JSON.parse(message.subarray(ID_BYTES).toString()) as DeletedScope;
      } catch {
        return;
      }
      for (const handler of deletedHandlers) handler(scope);
      return;
    }
    const set = handlers.get(channel.toString());
    if (!set || message.length < HEADER_BYTES || message.subarray(0, ID_BYTES).equals(nodeBytes)) return;
    const kind = message[ID_BYTES] === 1 ? 'awareness' : 'doc';
    const rowId = Number(message.readBigUInt64BE(ID_BYTES + 1));
    const payload = new Uint8Array(message.buffer, message.byteOffset + HEADER_BYTES, message.length - HEADER_BYTES);
    for (const handler of set) handler(kind, payload, rowId);
  });
  return {
    nodeId,
    publish(kind, name, payload, rowId = 0) {
      const header = Buffer.alloc(HEADER_BYTES);
      nodeBytes.copy(header);
      header[ID_BYTES] = kind === 'awareness' ? 1 : 0;
      header.writeBigUInt64BE(BigInt(rowId), ID_BYTES + 1);
      const message = Buffer.concat([header, payload]);
      void publisher.publish(channelOf(name), message).catch(() => undefined);
    },
    async subscribe(name, handler) {
      const channel = channelOf(name);
      let set = handlers.get(channel);
      if (!set) {
        set = new Set();
        handlers.set(channel, set);
        await subscriber.subscribe(channel);
      }
      set.add(handler);
      return async () => {
        set.delete(handler);
        if (!set.size && handlers.get(channel) === set) {
          handlers.delete(channel);
          await subscriber.unsubscribe(channel).catch(() => undefined);
        }
      };
    },
    onReconnect(handler) {
      reconnectHandlers.push(handler);
    },
    publishDeleted(scope) {
      void publisher.publish(deletedChannel, Buffer.concat([nodeBytes, Buffer.from(JSON.stringify(scope))])).catch(() => undefined);
    },
    onDeleted(handler) {
      if (!deletedHandlers.length) void subscriber.subscribe(deletedChannel).catch(() => undefined);
      deletedHandlers.push(handler);
    },
    async close() {
      handlers.clear();
    },
  };
}
