// A frontend app as a developer writes one against the installed SDK (tests/sdk/install.test.ts
// copies this folder outside the repository, installs the SDK as sdk/README.md says, type-checks it
// under a Next.js-style and a Vite-style tsconfig, bundles it with esbuild and opens it in Chromium).
import { useEffect } from 'react';
import { createRoot } from 'react-dom/client';
import { createTokenRefresher, EnsembleClient, EnsembleError, type ErrorCode, type PresenceEntry } from '@ensemble/client';
import { defineAvatars } from '@ensemble/client/avatars';
import { EnsembleProvider, RoomProvider, useDoc, useOthers, useStatus } from '@ensemble/client/react';

const params = new URLSearchParams(location.search);
const token = createTokenRefresher({ initial: { accessToken: params.get('token') ?? '' }, refresh: () => Promise.reject(new EnsembleError('invalid_token', 'no refresh in this app')) });
const client = new EnsembleClient({ url: params.get('server') ?? '', token, cursorThrottleMs: 40 });
const errors: ErrorCode[] = [];
client.on('error', (err) => errors.push(err.code));
defineAvatars(client);
document.getElementById('avatars')?.setAttribute('room', params.get('ds') ?? '');

function Editor({ name }: { name: string }) {
  const state = useDoc(name);
  useEffect(() => {
    if (!state) return;
    state.doc.getText('code').insert(0, 'typed in the scratch app');
    state.awareness.setLocalStateField('user', { name: 'Scratch', color: '#0969da' });
  }, [state?.live]);
  return <p data-testid="doc">{state ? `${state.synced ? 'synced' : 'syncing'}:${state.unsyncedChanges}` : 'opening'}</p>;
}

function People() {
  const others: PresenceEntry[] = useOthers();
  return <ul data-testid="others">{others.map((o) => <li key={o.user.id}>{o.user.name}</li>)}</ul>;
}

function Status() {
  return <p data-testid="status">{useStatus()}</p>;
}

const root = document.getElementById('root');
if (root) {
  createRoot(root).render(
    <EnsembleProvider client={client}>
      <Status />
      <RoomProvider id={params.get('ds') ?? ''}>
        <People />
        <Editor name={params.get('doc') ?? ''} />
      </RoomProvider>
    </EnsembleProvider>,
  );
}
Object.assign(window, { ensembleErrors: errors });
