// useDoc: a live document for as long as the component is mounted, with its sync state.
import { useEffect, useState } from 'react';
import type { Awareness } from 'y-protocols/awareness';
import type * as Y from 'yjs';
import type { LiveDocument } from '../document.ts';
import { toEnsembleError, type EnsembleError } from '../errors.ts';
import { useClient } from './context.ts';

export interface DocState {
  live: LiveDocument;
  doc: Y.Doc;
  /** Carets and selections: hand it to the editor binding (y-codemirror.next, y-monaco, …). */
  awareness: Awareness;
  /** Subscribed and in step with the server. */
  synced: boolean;
  /** Local changes the server has not acknowledged yet. */
  unsyncedChanges: number;
  /** The last refusal or failure (`locked`, `forbidden`, …), cleared when a later change is acknowledged. */
  error: EnsembleError | null;
}

/** Opens `name` (`component:<id>`, `tokens:<designSystemId>`); null until the first sync. Closed on unmount. */
export function useDoc(name: string | null): DocState | null {
  const client = useClient();
  const [state, setState] = useState<DocState | null>(null);
  useEffect(() => {
    if (!name) return;
    let live: LiveDocument | null = null;
    let gone = false;
    const offs: (() => void)[] = [];
    const refresh = (patch: Partial<DocState> = {}) =>
      live &&
      !gone &&
      setState((s) => ({
        live: live as LiveDocument,
        doc: live!.doc,
        awareness: live!.awareness,
        synced: live!.synced,
        unsyncedChanges: live!.unsyncedChanges,
        error: s?.live === live ? s.error : null,
        ...patch,
      }));
    client.openDocument(name).then(
      (opened) => {
        if (gone) return void opened.close();
        live = opened;
        offs.push(
          opened.on('synced', () => refresh()),
          opened.on('unsyncedChanges', () => refresh()),
          opened.on('acknowledged', () => refresh({ error: null })),
          opened.on('error', (error) => refresh({ error })),
        );
        refresh();
      },
      (err: unknown) => client.report(toEnsembleError(err)),
    );
    return () => {
      gone = true;
      for (const off of offs) off();
      void live?.close();
      setState(null);
    };
  }, [client, name]);
  return state;
}
