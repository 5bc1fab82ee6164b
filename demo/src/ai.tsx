// "Generate with AI": POST …/components/generate starts a job; its progress events are shown as
// they come, then the new component can be opened. When the server cannot generate (no provider,
// quota), its error is shown as it said it.
import { useClient } from '@ensemble/client/react';
import { useState, type FormEvent } from 'react';
import { followJob, type Job } from './jobs.ts';
import { describe } from './session.ts';

export function Ai({
  designSystemId,
  token,
  onOpen,
}: {
  designSystemId: string;
  token: () => Promise<string>;
  onOpen: (componentId: string) => void;
}) {
  const client = useClient();
  const [prompt, setPrompt] = useState('');
  const [events, setEvents] = useState<{ id: number; text: string }[]>([]);
  const [job, setJob] = useState<Job | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const generate = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    setEvents([]);
    setJob(null);
    try {
      const started = await client.api<Job>(`/api/design-systems/${designSystemId}/components/generate`, {
        body: { prompt },
      });
      setEvents([{ id: 0, text: `Job ${started.id.slice(0, 8)} ${started.status}` }]);
      let seen = '';
      const done = await followJob(token, started.id, (j) => {
        setJob(j);
        const line = `${j.status} · ${j.progress}%${j.logs.at(-1) ? ` · ${j.logs.at(-1)?.message}` : ''}`;
        if (line !== seen) setEvents((list) => [...list, { id: list.length, text: (seen = line) }]);
      });
      if (done.status === 'failed') setError(done.error ?? 'The generation failed');
    } catch (err) {
      setError(describe(err));
    } finally {
      setBusy(false);
    }
  };
  const made = typeof job?.result?.['componentId'] === 'string' ? (job.result['componentId'] as string) : null;

  return (
    <section className="card">
      <div className="card-head">
        <h2>Generate with AI</h2>
      </div>
      <form onSubmit={(e) => void generate(e)}>
        <textarea
          data-testid="ai-prompt"
          rows={2}
          placeholder="A compact badge that shows a status"
          value={prompt}
          onChange={(e) => setPrompt(e.target.value)}
        />
        <div className="row end">
          <button
            data-testid="ai-generate"
            className="primary small"
            type="submit"
            disabled={busy || prompt.trim().length < 3}
          >
            {busy ? 'Generating…' : 'Generate'}
          </button>
        </div>
      </form>
      <div data-testid="ai-progress" className="progress-log" data-status={error ? 'failed' : (job?.status ?? '')}>
        {job && (
          <div className="bar">
            <span style={{ width: `${job.progress}%` }} />
          </div>
        )}
        {events.map((e) => (
          <div key={e.id}>{e.text}</div>
        ))}
        {error && (
          <p className="error" role="alert">
            {error}
          </p>
        )}
        {made && (
          <button type="button" className="small" onClick={() => onOpen(made)}>
            Open {String(job?.result?.['name'] ?? 'the new component')}
          </button>
        )}
      </div>
    </section>
  );
}
