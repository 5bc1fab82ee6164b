// A page on the SDK, as an app writes one: signs in with the token in the query (or refreshes it
// through `POST /api/auth/refresh` with `createTokenRefresher` when `refresh` is given), joins the
// design system `ds`, opens document `doc` with its `code` text bound to a <textarea>, sends the
// pointer over #canvas as its cursor and names itself in the document's Awareness.
// Query: server, token, ds, doc, name; optional refresh (refresh token), leeway (ms), expiresIn (s).
// The package's public entry (`@ensemble/client` in an app; a relative path here so tsc resolves it).
import { createTokenRefresher, EnsembleClient, type TokenPair } from '../../../sdk/src/index.ts';
import { bindTextarea } from './lib/textarea.ts';
import { awarenessLabel, now, param, publishActions, publishState } from './lib/state.ts';

const server = param('server');
const state = publishState({
  status: 'connecting' as string,
  /** Every status the client went through, in order. */
  statuses: [] as string[],
  joined: false,
  synced: false,
  unsynced: 0,
  text: '',
  readOnly: false,
  self: null as { id: string; name: string } | null,
  others: [] as { id: string; name: string; viewing: string[] }[],
  /** When each user was first seen among the others (page clock). */
  seenAt: {} as Record<string, number>,
  /** Every arrival and departure among the others: [userId, 'in' | 'out', at]. */
  presenceLog: [] as [string, 'in' | 'out', number][],
  /** Every cursor received: [userId, x, y, at]. */
  cursors: [] as [string, number, number, number][],
  /** The document's Awareness states other than this page's own: `name`, or `name @ caret`. */
  awareness: [] as string[],
  /** Every local edit: [text length after it, at]. */
  typed: [] as [number, number][],
  /** Every change of the text from elsewhere: [text length after it, at]. */
  received: [] as [number, number][],
  /** When the SDK sent each `doc-update` and `cursor-move`: [event, at]. */
  sent: [] as [string, number][],
  /** Every cursor move handed to the SDK: [x, y, at]. */
  moved: [] as [number, number, number][],
  refused: [] as string[],
  errors: [] as string[],
  authFailed: false,
  refreshes: 0,
  startedAt: now(),
  /** When the socket connected, and when the join was answered (page clock). */
  connectedAt: 0,
  joinedAt: 0,
});

let session: TokenPair = { accessToken: param('token'), refreshToken: param('refresh') };
if (param('expiresIn')) session.expiresIn = Number(param('expiresIn'));
const token = session.refreshToken
  ? createTokenRefresher({
      initial: session,
      leewayMs: Number(param('leeway', '30000')),
      refresh: async () => {
        const res = await fetch(`${server}/api/auth/refresh`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ refreshToken: session.refreshToken }),
        });
        if (!res.ok) throw new Error(`refresh failed: ${res.status}`);
        state.refreshes++;
        return (session = (await res.json()) as TokenPair);
      },
    })
  : session.accessToken;

const client = new EnsembleClient({ url: server, token, onAuthenticationFailed: () => (state.authFailed = true) });
client.on('status', (status) => {
  state.status = status;
  state.statuses.push(status);
});
client.on('error', (err) => state.errors.push(err.code));
client.socket.onAnyOutgoing((event: string) => {
  if (event === 'doc-update' || event === 'cursor-move') state.sent.push([event, now()]);
});

await client.ready();
state.connectedAt = now();
const room = await client.joinDesignSystem(param('ds'));
state.joined = true;
state.joinedAt = now();
let wasPresent = new Set<string>();
const showOthers = () => {
  state.self = room.user && { id: room.user.id, name: room.user.name };
  state.others = room.others.map((o) => ({ id: o.user.id, name: o.user.name, viewing: o.viewing }));
  for (const o of state.others) state.seenAt[o.id] ??= now();
  const present = new Set(state.others.map((o) => o.id));
  for (const id of present) if (!wasPresent.has(id)) state.presenceLog.push([id, 'in', now()]);
  for (const id of wasPresent) if (!present.has(id)) state.presenceLog.push([id, 'out', now()]);
  wasPresent = present;
};
room.on('others', showOthers);
showOthers();
room.on('cursor', (userId, cursor) => state.cursors.push([userId, cursor.x, cursor.y, now()]));

const canvas = document.getElementById('canvas') as HTMLDivElement;
canvas.addEventListener('pointermove', (e) => {
  state.moved.push([e.offsetX, e.offsetY, now()]);
  room.moveCursor({ x: e.offsetX, y: e.offsetY });
});

const live = await client.openDocument(param('doc'));
const code = live.doc.getText('code');
const show = () => {
  state.text = code.toString();
  state.synced = live.synced;
  state.unsynced = live.unsyncedChanges;
  state.readOnly = live.readOnly;
};
live.on('synced', show);
live.on('unsyncedChanges', show);
live.on('refused', (err) => state.refused.push(err.code));
code.observe((_event, transaction) => {
  show();
  if (transaction.local) state.typed.push([state.text.length, now()]);
  else state.received.push([state.text.length, now()]);
});
bindTextarea(document.getElementById('editor') as HTMLTextAreaElement, code);
live.awareness.setLocalStateField('user', { name: param('name', 'SDK page'), color: '#0969da' });
const showAwareness = () => {
  state.awareness = [...live.awareness.getStates()]
    .filter(([id]) => id !== live.awareness.clientID)
    .map(([, s]) => awarenessLabel(s as { user?: { name?: unknown }; caret?: unknown }));
};
live.awareness.on('change', showAwareness);
showAwareness(); // the states that came with the subscribe
show();

publishActions({
  lock: (componentId: string) => room.lock(componentId).then(() => true),
  unlock: (componentId: string) => room.unlock(componentId),
  setAwareness: (field: string, value: string) => live.awareness.setLocalStateField(field, value),
  close: () => client.close(),
});
