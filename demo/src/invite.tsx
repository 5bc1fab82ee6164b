// Invite a teammate by email: they join the team (and its design systems) by accepting it.
import { useClient } from '@ensemble/client/react';
import { useState, type FormEvent } from 'react';
import { describe } from './session.ts';

export function Invite({ teamId }: { teamId: string }) {
  const client = useClient();
  const [email, setEmail] = useState('');
  const [note, setNote] = useState<{ ok: boolean; text: string } | null>(null);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    try {
      await client.api(`/api/teams/${teamId}/members`, { body: { email, role: 'editor' } });
      setNote({ ok: true, text: `Invited ${email}: they join when they accept it after signing in.` });
      setEmail('');
    } catch (err) {
      setNote({ ok: false, text: describe(err) });
    }
  };
  return (
    <form className="invite" onSubmit={(e) => void submit(e)}>
      <h3>Invite a teammate</h3>
      <div className="row">
        <input
          data-testid="invite-email"
          type="email"
          required
          placeholder="teammate@example.com"
          value={email}
          onChange={(e) => setEmail(e.target.value)}
        />
        <button data-testid="invite-submit" className="small" type="submit">
          Invite
        </button>
      </div>
      {note && <p className={note.ok ? 'muted' : 'error'}>{note.text}</p>}
    </form>
  );
}
