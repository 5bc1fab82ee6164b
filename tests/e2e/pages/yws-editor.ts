// A page on a stock y-websocket WebsocketProvider (no SDK), as docs/realtime.md shows: connects to
// `<server>/yjs` for document `doc` with `?token=`, binds the `code` text to a <textarea> and names
// itself in the provider's Awareness. Query: server, token, doc, name.
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { bindTextarea } from './lib/textarea.ts';
import { awarenessLabel, now, param, publishActions, publishState } from './lib/state.ts';

const state = publishState({
  status: 'connecting' as string,
  synced: false,
  text: '',
  /** The document's Awareness states other than this page's own: `name`, or `name @ caret`. */
  awareness: [] as string[],
  typed: [] as [number, number][],
  received: [] as [number, number][],
  denied: [] as string[],
});

const doc = new Y.Doc();
const provider = new WebsocketProvider(`${param('server').replace(/^http/, 'ws')}/yjs`, param('doc'), doc, {
  params: { token: param('token') },
  disableBc: true,
});
provider.on('status', ({ status }: { status: string }) => (state.status = status));
provider.on('sync', (synced: boolean) => (state.synced = synced));
const code = doc.getText('code');
code.observe((_event, transaction) => {
  state.text = code.toString();
  if (transaction.local) state.typed.push([state.text.length, now()]);
  else state.received.push([state.text.length, now()]);
});
bindTextarea(document.getElementById('editor') as HTMLTextAreaElement, code);
provider.awareness.setLocalStateField('user', { name: param('name', 'y-websocket page'), color: '#bf3989' });
provider.awareness.on('change', () => {
  state.awareness = [...provider.awareness.getStates()]
    .filter(([id]) => id !== doc.clientID)
    .map(([, s]) => awarenessLabel(s as { user?: { name?: unknown }; caret?: unknown }));
});

publishActions({
  setAwareness: (field: string, value: string) => provider.awareness.setLocalStateField(field, value),
  close: () => provider.destroy(),
});
