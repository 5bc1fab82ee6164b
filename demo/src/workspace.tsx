// The signed-in page: top bar (status, who is here, bell, user), the picker, and for the chosen
// component its editor and lock, the tokens, comments, AI generation and publishing — all inside
// the design system's room.
import { RoomProvider } from '@ensemble/client/react';
import { Ai } from './ai.tsx';
import { Comments } from './comments.tsx';
import { Editor } from './editor.tsx';
import { Invite } from './invite.tsx';
import { Bell } from './notifications.tsx';
import { Picker, usePicker, type PickerState } from './picker.tsx';
import { Avatars, LiveCursors, Status } from './presence.tsx';
import { Publish } from './publish.tsx';
import type { Session } from './session.ts';
import { Tokens } from './tokens.tsx';

interface Props {
  session: Session;
  onSignOut: () => void;
}

export function Workspace({ session, onSignOut, onJoinedTeam }: Props & { onJoinedTeam: () => void }) {
  const picker = usePicker(session.user, onJoinedTeam);
  const layout = <Layout session={session} onSignOut={onSignOut} picker={picker} />;
  if (!picker.ds) return layout;
  return (
    <RoomProvider key={picker.ds.id} id={picker.ds.id} initialPresence={{ status: 'active' }}>
      {layout}
    </RoomProvider>
  );
}

function Layout({ session, onSignOut, picker }: Props & { picker: PickerState }) {
  const { ds, component, team } = picker;
  return (
    <div className="shell">
      <header className="topbar">
        <div className="brand">
          <span className="logo" aria-hidden="true" />
          Ensemble
        </div>
        {ds && (
          <span className="crumb">
            {team?.name} / {ds.name}
          </span>
        )}
        <span className="spacer" />
        <Status />
        {ds && <Avatars />}
        <Bell />
        <span className="me">{session.user.name}</span>
        <button data-testid="signout" type="button" className="small" onClick={onSignOut}>
          Sign out
        </button>
      </header>
      <aside className="sidebar">
        <Picker picker={picker} />
        {team && <Invite teamId={team.id} />}
      </aside>
      {ds ? (
        <LiveCursors>
          <main className="stage">
            {component ? (
              <>
                <div className="stage-head">
                  <div>
                    <h1>{component.name}</h1>
                    <span className="muted">
                      {component.category} · {component.status} · {ds.name} v{ds.version}
                    </span>
                  </div>
                  <Publish designSystemId={ds.id} token={session.token} />
                </div>
                <Editor key={component.id} componentId={component.id} user={session.user} />
              </>
            ) : (
              <p className="muted">No component yet: add one in the sidebar, or generate one with AI.</p>
            )}
            <Tokens designSystemId={ds.id} />
          </main>
          <aside className="panel">
            {component && team && (
              <Comments key={component.id} componentId={component.id} teamId={team.id} userId={session.user.id} />
            )}
            <Ai designSystemId={ds.id} token={session.token} onOpen={picker.openComponent} />
          </aside>
        </LiveCursors>
      ) : (
        <main className="stage">
          <div className="card welcome">
            <h1>Welcome, {session.user.name}</h1>
            <p className="muted">
              Pick a design system in the sidebar, create a starter one, or accept an invitation from a teammate.
            </p>
          </div>
        </main>
      )}
    </div>
  );
}
