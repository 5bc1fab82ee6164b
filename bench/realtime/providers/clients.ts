// The real client libraries a user would pick, each wrapped as an `Editor`: a Y.Doc it edits,
// a way to know it is connected and in step, and — where the library exposes one — the moment the
// server acknowledged what it sent (its unsynced-changes counter back at 0).
//   y-websocket   stock `WebsocketProvider` (against @y/websocket-server and Ensemble's /yjs);
//                 it has no acknowledgement, so no ack latency.
//   hocuspocus    `@hocuspocus/provider` (its `unsyncedChanges` counts until the server's SyncStatus).
//   sdk           Ensemble's own client (`openDocument`; `unsyncedChanges` until the commit's ack).
import { HocuspocusProvider } from '@hocuspocus/provider';
import WebSocket from 'ws';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { EnsembleClient } from '../../../sdk/src/index.ts';
import type { ServerHandle } from '../servers/types.ts';

export type ClientKind = 'y-websocket' | 'hocuspocus' | 'sdk';

export interface Editor {
  doc: Y.Doc;
  /** Resolves once connected and in step with the server. */
  ready: Promise<void>;
  /** Called with the time the server acknowledged everything sent so far (absent: no acks). */
  onAcked?: (listener: (at: number) => void) => void;
  close(): void;
}

function once(subscribe: (done: () => void) => void): Promise<void> {
  return new Promise((resolve) => subscribe(resolve));
}

function yWebsocket(server: ServerHandle, docName: string): Editor {
  // wsUrl gives the full URL of one document; the provider wants the base and the room apart.
  const url = new URL(server.wsUrl(docName));
  const room = decodeURIComponent(url.pathname.slice(url.pathname.lastIndexOf('/') + 1));
  const base = `${url.origin}${url.pathname.slice(0, url.pathname.lastIndexOf('/'))}`;
  const doc = new Y.Doc();
  const provider = new WebsocketProvider(base, room, doc, {
    params: Object.fromEntries(url.searchParams),
    WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
    disableBc: true,
  });
  const ready = once((done) => provider.on('sync', (synced: boolean) => synced && done()));
  return { doc, ready, close: () => provider.destroy() };
}

function hocuspocus(server: ServerHandle, docName: string): Editor {
  const doc = new Y.Doc();
  const acked: ((at: number) => void)[] = [];
  let onSynced: () => void = () => undefined;
  const ready = new Promise<void>((resolve) => (onSynced = resolve));
  const provider = new HocuspocusProvider({
    url: server.baseUrl.replace(/^http/, 'ws'),
    name: docName,
    document: doc,
    token: server.token ?? 'bench',
    WebSocketPolyfill: WebSocket,
    onSynced: () => onSynced(),
    onUnsyncedChanges: ({ number }) => {
      if (number !== 0) return;
      const at = performance.now();
      for (const listener of acked) listener(at);
    },
  } as ConstructorParameters<typeof HocuspocusProvider>[0]);
  return { doc, ready, onAcked: (listener) => acked.push(listener), close: () => provider.destroy() };
}

function sdk(server: ServerHandle, docName: string): Editor {
  const doc = new Y.Doc();
  const acked: ((at: number) => void)[] = [];
  const client = new EnsembleClient({
    url: server.baseUrl,
    token: server.token ?? '',
    socket: { transports: ['websocket'], forceNew: true },
  });
  // openDocument resolves once subscribed and in step.
  const ready = client.openDocument(docName, doc).then((live) => {
    live.on('unsyncedChanges', (n: number) => {
      if (n !== 0) return;
      const at = performance.now();
      for (const listener of acked) listener(at);
    });
  });
  return { doc, ready, onAcked: (listener) => acked.push(listener), close: () => client.close() };
}

export const CLIENTS: Record<ClientKind, (server: ServerHandle, docName: string) => Editor> = {
  'y-websocket': yWebsocket,
  hocuspocus,
  sdk,
};
