// Publishing: POST /api/design-systems/:id/publish (a patch release) starts a job; the result (the
// version, or the server's error) is shown when it ends.
import { useClient } from '@ensemble/client/react';
import { useState } from 'react';
import { followJob, type Job } from './jobs.ts';
import { describe } from './session.ts';

export function Publish({ designSystemId, token }: { designSystemId: string; token: () => Promise<string> }) {
  const client = useClient();
  const [state, setState] = useState<{ ok: boolean; text: string } | null>(null);
  const [busy, setBusy] = useState(false);
  const publish = async () => {
    setBusy(true);
    setState({ ok: true, text: 'Publishing…' });
    try {
      const started = await client.api<Job>(`/api/design-systems/${designSystemId}/publish`, {
        body: { bump: 'patch' },
      });
      const done = await followJob(token, started.id, (j) =>
        setState({ ok: true, text: `Publishing… ${j.progress}%` }),
      );
      const version = done.result?.['version'];
      setState(
        done.status === 'completed'
          ? { ok: true, text: `Published ${version ? `v${String(version)}` : ''}`.trim() }
          : { ok: false, text: done.error ?? `Publishing ${done.status}` },
      );
    } catch (err) {
      setState({ ok: false, text: describe(err) });
    } finally {
      setBusy(false);
    }
  };
  return (
    <div className="publish">
      <button
        data-testid="publish-button"
        type="button"
        className="primary"
        disabled={busy}
        onClick={() => void publish()}
      >
        Publish
      </button>
      {state && (
        <span data-testid="publish-result" className={state.ok ? 'muted' : 'error'}>
          {state.text}
        </span>
      )}
    </div>
  );
}
