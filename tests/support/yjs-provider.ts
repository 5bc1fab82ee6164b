// The stock y-websocket WebsocketProvider, connected to a test server's /yjs endpoint.
import WebSocket from 'ws';
import * as authProtocol from 'y-protocols/auth';
import { WebsocketProvider, messageAuth } from 'y-websocket';
import * as Y from 'yjs';

export interface Provided {
  doc: Y.Doc;
  provider: WebsocketProvider;
  synced: Promise<void>;
  /** The reasons of every y-protocols permission-denied message the server sent, in order. */
  denied: string[];
  /** The close codes the server closed the connection with, in order. */
  closes: number[];
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
  const denied: string[] = [];
  const closes: number[] = [];
  // The stock handler console.warns the provider's URL, token included: record the reason instead.
  provider.messageHandlers[messageAuth] = (_encoder, decoder) =>
    authProtocol.readAuthMessage(decoder, doc, (_doc, reason) => denied.push(reason));
  provider.on('status', ({ status }: { status: string }) => {
    const ws = provider.ws as unknown as globalThis.WebSocket | null;
    if (status !== 'connected' || !ws) return;
    ws.addEventListener('close', (event: CloseEvent) => closes.push(event.code));
  });
  const synced = new Promise<void>((resolve) => {
    if (provider.synced) resolve();
    provider.on('sync', (isSynced: boolean) => isSynced && resolve());
  });
  return {
    doc,
    provider,
    synced,
    denied,
    closes,
    close() {
      provider.destroy();
      doc.destroy();
    },
  };
}
