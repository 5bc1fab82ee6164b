// The app shell: sign in (or a session resumed from this tab), then one EnsembleClient for the
// signed-in user, the workspace picker and the design system's room.
import { EnsembleClient } from '@ensemble/client';
import { EnsembleProvider } from '@ensemble/client/react';
import { useCallback, useEffect, useMemo, useState } from 'react';
import { expose } from './debug.ts';
import { resume, signOut, type Session } from './session.ts';
import { SignIn } from './signin.tsx';
import { Workspace } from './workspace.tsx';

export function App() {
  const [session, setSession] = useState<Session | null | undefined>(undefined);
  useEffect(() => void resume().then(setSession), []);
  const leave = useCallback(() => {
    if (session) void signOut(session);
    setSession(null);
  }, [session]);
  if (session === undefined) return <p className="boot">Loading…</p>;
  if (!session) return <SignIn onSession={setSession} />;
  return <SignedIn key={session.user.id} session={session} onSignOut={leave} />;
}

function SignedIn({ session, onSignOut }: { session: Session; onSignOut: () => void }) {
  // A connection keeps the team roles it had when it connected: after this user joins a team
  // (creating one, accepting an invitation) a new connection sees it.
  const [epoch, setEpoch] = useState(0);
  // biome-ignore lint/correctness/useExhaustiveDependencies: one client per session and epoch (onSignOut: same meaning)
  const client = useMemo(
    () => new EnsembleClient({ url: location.origin, token: session.token, onAuthenticationFailed: onSignOut }),
    [session, epoch],
  );
  useEffect(() => {
    expose({ client });
    return () => client.close();
  }, [client]);
  return (
    <EnsembleProvider client={client}>
      <Workspace session={session} onSignOut={onSignOut} onJoinedTeam={() => setEpoch((n) => n + 1)} />
    </EnsembleProvider>
  );
}
