// Cross-node fan-out of document changes. Every node that holds a document open subscribes to its
// channel; a change is published twice: as a relay once it passed the checks (the other nodes hand
// it to their clients at once) and as durable once committed, with its log row id. A node whose
// commit failed says so (`dropped`): the others drop their copies, which may hold the relay. One more
// channel tells every node that a team, design system or component was deleted, so each drops its
// copies and closes their connections. Single-node mode uses the no-op bus.
import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';

/**
 * What a message on a document's channel is: `relay` an update that passed the checks but is not
 * durable yet, `doc` a durable update (with its log row id), `awareness` an awareness message,
 * `dropped` the sender's copy failed to store a change it relayed (no payload).
 */
export type BusKind = 'doc' | 'awareness' | 'relay' | 'dropped';

export interface DocumentBus {
  readonly nodeId: string;
  /** Announces an update, an awareness message or a dropped copy to the other nodes. */
  publish(kind: BusKind, name: string, payload: Uint8Array, rowId?: number): void;
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
export type DeletedScope =
  | { teamId: string }
  | { designSystemId: string }
  | { componentId: string }
  | { branchId: string };

/** A document's messages from other nodes; `rowId` is the update's log row (0 unless `doc`). */
export type BusHandler = (kind: BusKind, payload: Uint8Array, rowId: number) => void;

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
const KINDS: readonly BusKind[] = ['doc', 'awareness', 'relay', 'dropped'];

/** One message on a document's channel: node id (36 bytes) + kind byte + log row id (8 bytes, big-endian) + payload. */
export function busMessage(nodeId: string, kind: BusKind, rowId: number, payload: Uint8Array): Buffer {
  const header = Buffer.alloc(HEADER_BYTES);
  header.write(nodeId, 0, ID_BYTES, 'latin1');
  header[ID_BYTES] = KINDS.indexOf(kind);
  header.writeBigUInt64BE(BigInt(rowId), ID_BYTES + 1);
  return Buffer.concat([header, payload]);
}

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
    const kind = KINDS[message[ID_BYTES] as number];
    if (!kind) return;
    const rowId = Number(message.readBigUInt64BE(ID_BYTES + 1));
    const payload = new Uint8Array(message.buffer, message.byteOffset + HEADER_BYTES, message.length - HEADER_BYTES);
    for (const handler of set) handler(kind, payload, rowId);
  });
  return {
    nodeId,
    publish(kind, name, payload, rowId = 0) {
      void publisher.publish(channelOf(name), busMessage(nodeId, kind, rowId, payload)).catch(() => undefined);
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
      void publisher
        .publish(deletedChannel, Buffer.concat([nodeBytes, Buffer.from(JSON.stringify(scope))]))
        .catch(() => undefined);
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
