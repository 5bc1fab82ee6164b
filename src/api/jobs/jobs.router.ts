// /api/jobs/:id (status, progress, logs, result), its SSE stream, and cancel.
import type { Response } from 'express';
import { z } from 'zod';
import type { Job } from '../../models/db.ts';
import type { Services } from '../../services/index.ts';
import type { OpenApiRegistry } from '../openapi/registry.ts';
import { Routes } from '../route.ts';

const Params = z.object({ id: z.uuid() });
const TERMINAL = new Set(['completed', 'failed', 'cancelled']);

/** A job a request started: 202 with its Location, or 200 with the job a replayed Idempotency-Key started. */
export function sendStartedJob(res: Response, { job, created }: { job: Job; created: boolean }): void {
  res
    .status(created ? 202 : 200)
    .set('Location', `/api/jobs/${job.id}`)
    .json(presentJob(job));
}

/** The public view of a job. */
export function presentJob(job: Job) {
  return {
    id: job.id,
    name: job.name,
    teamId: job.teamId,
    designSystemId: job.designSystemId,
    status: job.status,
    progress: job.progress,
    result: job.result,
    error: job.error,
    logs: job.logs,
    attempts: job.attempts,
    createdById: job.createdById,
    createdAt: job.createdAt.toISOString(),
    startedAt: job.startedAt?.toISOString() ?? null,
    finishedAt: job.finishedAt?.toISOString() ?? null,
    links: { self: `/api/jobs/${job.id}`, events: `/api/jobs/${job.id}/events` },
  };
}

/** The job routes. */
export function jobRoutes({ jobs }: Services, registry: OpenApiRegistry) {
  const r = new Routes(registry, '/api/jobs', 'Jobs');
  r.get('/:id', { summary: 'A job: status, progress, logs, result', params: Params }, async ({ actor, params }) =>
    presentJob(await jobs.get(actor, params.id)),
  );
  r.post(
    '/:id/cancel',
    { summary: 'Cancel a job that has not finished', params: Params, status: 200 },
    async ({ actor, params }) => presentJob(await jobs.cancel(actor, params.id)),
  );
  r.get(
    '/:id/events',
    { summary: 'Server-sent events: the job each time it changes, until it ends', params: Params },
    async ({ actor, params, req, res }) => {
      let job = await jobs.get(actor, params.id);
      res.writeHead(200, {
        'Content-Type': 'text/event-stream',
        'Cache-Control': 'no-cache',
        Connection: 'keep-alive',
        'X-Accel-Buffering': 'no',
      });
      // Polling the row works whichever process runs the job.
      let last = '';
      let closed = false;
      req.on('close', () => (closed = true));
      while (!closed) {
        const view = JSON.stringify(presentJob(job));
        if (view !== last) {
          res.write(`event: job\ndata: ${view}\n\n`);
          last = view;
        }
        if (TERMINAL.has(job.status)) break;
        await new Promise((r) => setTimeout(r, 250));
        job = await jobs.get(actor, params.id);
      }
      res.end();
    },
  );
  return r;
}
