// The protocol-independent face of a client connection, and the factory that picks a protocol.
import type { ServerHandle } from '../servers/types.ts';
import { connectHocuspocus } from './hocuspocus.ts';
import { connectEnsembleSocketIo, connectSocketIoRelay } from './socket-io.ts';
import { connectYWebsocket } from './y-websocket.ts';

/** What a connection feeds and asks (implemented by BenchClient). */
export interface DocSink {
  /** Document state from the server's sync answer (sync step 2, or the subscribe ack). */
  onSyncState(state: Uint8Array): void;
  /** A Yjs update broadcast by the server. */
  onUpdate(update: Uint8Array): void;
  stateVector(): Uint8Array;
  /** Local state missing from a peer with `stateVector` (answer to sync step 1). */
  stateAsUpdate(stateVector?: Uint8Array): Uint8Array;
}

export interface Transport {
  /** Resolves once the document is synced (or the room joined, for relays). */
  ready: Promise<void>;
  send(update: Uint8Array): void;
  close(): void;
}

/** Counters shared by the connections of a run. */
export interface TransportStats {
  /** Edits the server refused (ack `{ ok: false }`) or connections lost mid-run. */
  failures: number;
  lastFailure?: string;
}

export function connect(server: ServerHandle, docName: string, sink: DocSink, stats: TransportStats): Transport {
  const transport = open(server, docName, sink, stats);
  // Callers await `ready`; a rejection that lands before they do must not crash the harness.
  transport.ready.catch(() => {});
  return transport;
}

function open(server: ServerHandle, docName: string, sink: DocSink, stats: TransportStats): Transport {
  switch (server.protocol) {
    case 'ws-relay':
      return connectYWebsocket(server.wsUrl(docName), sink, stats, { relay: true });
    case 'y-websocket':
      return connectYWebsocket(server.wsUrl(docName), sink, stats, { relay: false });
    case 'hocuspocus':
      return connectHocuspocus(server.wsUrl(docName), docName, sink, stats);
    case 'sio-relay':
      return connectSocketIoRelay(server.baseUrl, docName, sink, stats);
    case 'ensemble-sio':
      return connectEnsembleSocketIo(server.baseUrl, docName, server.token ?? '', sink, stats, 'base64');
    case 'ensemble-sio-binary':
      return connectEnsembleSocketIo(server.baseUrl, docName, server.token ?? '', sink, stats, 'binary');
  }
}
