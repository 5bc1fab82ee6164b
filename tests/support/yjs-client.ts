// A stand-alone Yjs client for tests: syncs from a server document and produces real updates.
import * as Y from 'yjs';
import type { TestServer } from './server.ts';

/** A client-side copy of `name`, loaded from the server's current state. */
export async function yClient(server: TestServer, name: string): Promise<Y.Doc> {
  const doc = new Y.Doc();
  Y.applyUpdate(doc, await server.services.documents.encodeState(name, null));
  return doc;
}

/** Runs `fn` on the client doc and returns the update it produced. */
export function edit(doc: Y.Doc, fn: (doc: Y.Doc) => void): Uint8Array {
  let update: Uint8Array | null = null;
  const capture = (u: Uint8Array) => {
    update = update ? Y.mergeUpdates([update, u]) : u;
  };
  doc.on('update', capture);
  doc.transact(() => fn(doc));
  doc.off('update', capture);
  if (!update) throw new Error('the edit changed nothing');
  return update;
}
