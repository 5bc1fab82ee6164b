// Following a job (AI generation, publishing) on its server-sent event stream. EventSource cannot
// send an Authorization header, so the stream is read with fetch.
import { EnsembleError } from '@ensemble/client';

export interface Job {
  id: string;
  name: string;
  status: 'queued' | 'running' | 'completed' | 'failed' | 'cancelled' | (string & {});
  progress: number;
  result: Record<string, unknown> | null;
  error: string | null;
  logs: { at: string; message: string }[];
}

const TERMINAL = new Set(['completed', 'failed', 'cancelled']);

/** Calls `onJob` with each state of the job until it ends; resolves with the last one. */
export async function followJob(token: () => Promise<string>, id: string, onJob: (job: Job) => void): Promise<Job> {
  const res = await fetch(`/api/jobs/${id}/events`, {
    headers: { authorization: `Bearer ${await token()}`, accept: 'text/event-stream' },
  });
  if (!res.ok || !res.body) throw new EnsembleError('server_error', `The job's events answered ${res.status}`);
  const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  let last: Job | null = null;
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    buffer += value;
    let end = buffer.indexOf('\n\n');
    while (end >= 0) {
      const data = buffer
        .slice(0, end)
        .split('\n')
        .filter((l) => l.startsWith('data: '))
        .map((l) => l.slice(6))
        .join('\n');
      buffer = buffer.slice(end + 2);
      if (data) {
        last = JSON.parse(data) as Job;
        onJob(last);
      }
      end = buffer.indexOf('\n\n');
    }
    if (last && TERMINAL.has(last.status)) break;
  }
  if (!last) throw new EnsembleError('server_error', 'The job stream ended without an event');
  return last;
}
