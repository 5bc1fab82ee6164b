// A handle for the browser's devtools (and the browser tests): the client, the editor's view and
// its Y.Doc, as `window.ensembleDemo`. Nothing in the page reads it.
import type { EditorView } from '@codemirror/view';
import type { EnsembleClient } from '@ensemble/client';
import type * as Y from 'yjs';

export interface DemoHandle {
  client?: EnsembleClient;
  editor?: EditorView;
  doc?: Y.Doc;
  tokens?: Y.Doc;
}

declare global {
  interface Window {
    ensembleDemo?: DemoHandle;
  }
}

/** Records `part` on `window.ensembleDemo`. */
export function expose(part: DemoHandle): void {
  window.ensembleDemo = { ...window.ensembleDemo, ...part };
}
