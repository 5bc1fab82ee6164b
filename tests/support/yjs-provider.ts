// The stock y-websocket WebsocketProvider, connected to a test server's /yjs endpoint.
import WebSocket from 'ws';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';

export interface Provided {
  doc: Y.Doc;
  provider: WebsocketProvider;
  synced: Promise<void>;
  close(): void;
}

/** A provider for `docName` authenticated with `token` (in `?token=`, as stock providers send params). */
export function provide(serverUrl: string, docName: string, token: string): Provided {
  const doc = new Y.Doc();
  const provider = new WebsocketProvider(`${serverUrl.replace(/^http/, 'ws')}/yjs`, docName, doc, {
    params: { token },
    WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
    disableBc: true,
    maxBackoffTime: 200,
  });
  const synced = new Promise<void>((resolve) => {
    if (provider.synced) resolve();
    provider.on('sync', (isSynced: boolean) => isSynced && resolve());
  });
  return {
    doc,
    provider,
    synced,
    close() {
      provider.destroy();
      doc.destroy();
    },
  };
}
