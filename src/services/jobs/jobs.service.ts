// Long work runs as jobs: a `jobs` row per job (status, progress, logs, result) and a queue entry.
// Starting is idempotent per team and `Idempotency-Key`; progress reaches the room and SSE; a job
// can be cancelled; failures end with a readable reason after the queue's retries.
import type { Db, Job, Prisma } from '../../models/db.ts';
import { AppError, notFound } from '../../utils/errors.ts';
import { toPublicError } from '../../utils/error-mapper.ts';
import type { JobContext, JobQueue } from '../../workers/jobs.ts';
import { authorId, type Actor } from '../actor.ts';
import type { EventBus } from '../events/bus.ts';
import { authorize } from '../policy.ts';

export type JobKind = 'ai.generateComponent' | 'publish.package' | 'github.push';

export interface JobReport {
  progress(percent: number, message?: string): Promise<void>;
  log(message: string): Promise<void>;
  /** Whether someone cancelled the job meanwhile. */
  cancelled(): Promise<boolean>;
}

/** A failure not worth retrying: bad input, a refused check, a provider that said no. */
export class PermanentJobError extends Error {}

/** Thrown by work that noticed it was cancelled; the job stays `cancelled`. */
export class JobCancelled extends PermanentJobError {
  constructor() {
    super('The job was cancelled');
  }
}

const TERMINAL = new Set(['completed', 'failed', 'cancelled']);

/** Job rows and their lifecycle. */
export class JobService {
  private readonly db: Db;
  private readonly queue: JobQueue;
  private readonly events: EventBus;

  constructor(db: Db, queue: JobQueue, events: EventBus) {
    this.db = db;
    this.queue = queue;
    this.events = events;
  }

  /** Starts a job, or returns the job already started with the same idempotency key. */
  async start(
    actor: Actor,
    input: {
      name: JobKind;
      teamId: string;
      designSystemId: string;
      payload: Record<string, unknown>;
      idempotencyKey?: string | undefined;
      attempts?: number;
    },
  ): Promise<{ job: Job; created: boolean }> {
    if (input.idempotencyKey) {
      const existing = await this.db.job.findUnique({
        where: { teamId_idempotencyKey: { teamId: input.teamId, idempotencyKey: input.idempotencyKey } },
      });
      if (existing) {
        if (existing.name !== input.name || existing.designSystemId !== input.designSystemId)
          throw new AppError('conflict', 'This Idempotency-Key was used for a different request');
        return { job: existing, created: false };
      }
    }
    const job = await this.db.job
      .create({
        data: {
          name: input.name,
          teamId: input.teamId,
          designSystemId: input.designSystemId,
          payload: input.payload as Prisma.InputJsonValue,
          idempotencyKey: input.idempotencyKey ?? null,
          createdById: authorId(actor),
        },
      })
      .catch(async (err: unknown) => {
        // Two requests racing with one key: the loser answers with the winner's job.
        if ((err as { code?: string }).code === 'P2002' && input.idempotencyKey) {
          return this.db.job.findUniqueOrThrow({
            where: { teamId_idempotencyKey: { teamId: input.teamId, idempotencyKey: input.idempotencyKey } },
          });
        }
        throw err;
      });
    await this.queue.enqueue(
      input.name,
      { jobId: job.id },
      { attempts: input.attempts ?? 3, backoffMs: 1000, jobId: job.id },
    );
    return { job, created: true };
  }

  /** A job the actor may see. */
  async get(actor: Actor, id: string): Promise<Job> {
    const job = await this.db.job.findUnique({ where: { id } });
    if (!job) throw notFound();
    authorize(actor, 'designSystem:read', job);
    return job;
  }

  /** Cancels a job that has not finished. */
  async cancel(actor: Actor, id: string): Promise<Job> {
    const job = await this.get(actor, id);
    authorize(actor, 'designSystem:write', job);
    if (TERMINAL.has(job.status)) throw new AppError('conflict', `The job already ${job.status}`);
    const cancelled = await this.db.job.update({
      where: { id },
      data: { status: 'cancelled', finishedAt: new Date() },
    });
    this.announce(cancelled, 'cancelled');
    return cancelled;
  }

  /** Re-queues jobs a crash interrupted (single-node mode; BullMQ recovers stalled jobs itself). */
  async resumeUnfinished(): Promise<number> {
    const jobs = await this.db.job.findMany({
      where: { status: { in: ['queued', 'running'] } },
      select: { id: true, name: true },
    });
    for (const job of jobs)
      await this.queue.enqueue(job.name as JobKind, { jobId: job.id }, { attempts: 3, backoffMs: 1000, jobId: job.id });
    return jobs.length;
  }

  /** Runs a job's attempt through `work`, recording status, progress, logs and the outcome. */
  async run(
    jobId: string,
    ctx: JobContext,
    work: (job: Job, report: JobReport) => Promise<Record<string, unknown>>,
  ): Promise<void> {
    const job = await this.db.job.findUnique({ where: { id: jobId } });
    if (!job || TERMINAL.has(job.status)) return;
    await this.db.job.update({
      where: { id: jobId },
      data: { status: 'running', attempts: ctx.attempt, startedAt: job.startedAt ?? new Date() },
    });
    const report: JobReport = {
      progress: async (percent, message) => {
        if (message) await this.appendLog(jobId, message);
        const updated = await this.db.job.update({
          where: { id: jobId },
          data: { progress: Math.max(0, Math.min(100, Math.round(percent))) },
        });
        this.announce(updated, 'progress', message);
      },
      log: async (message) => {
        await this.appendLog(jobId, message);
      },
      cancelled: async () =>
        (await this.db.job.findUnique({ where: { id: jobId }, select: { status: true } }))?.status === 'cancelled',
    };
    try {
      const result = await work(job, report);
      if (await report.cancelled()) return;
      const done = await this.db.job.update({
        where: { id: jobId },
        data: {
          status: 'completed',
          progress: 100,
          result: result as Prisma.InputJsonValue,
          finishedAt: new Date(),
          error: null,
        },
      });
      this.announce(done, 'completed');
      this.events.publish(
        'job.completed',
        { teamId: done.teamId, designSystemId: done.designSystemId as string, jobId, name: done.name, result },
        { userId: done.createdById },
      );
    } catch (err) {
      if (err instanceof JobCancelled || (await report.cancelled())) return;
      const reason =
        err instanceof PermanentJobError || err instanceof AppError
          ? err.message
          : toPublicError(err).status >= 500
            ? `Unexpected failure: ${(err as Error).message}`
            : toPublicError(err).message;
      await this.appendLog(jobId, `attempt ${ctx.attempt} failed: ${reason}`);
      const permanent = err instanceof PermanentJobError || err instanceof AppError;
      if (!permanent && !ctx.final) {
        await this.db.job.update({ where: { id: jobId }, data: { status: 'queued' } });
        throw err;
      }
      const failed = await this.db.job.update({
        where: { id: jobId },
        data: { status: 'failed', error: reason, finishedAt: new Date() },
      });
      this.announce(failed, 'failed', reason);
    }
  }

  private async appendLog(jobId: string, message: string): Promise<void> {
    // Logs are a JSON array; appending reads and writes it (jobs write their own log only).
    const job = await this.db.job.findUnique({ where: { id: jobId }, select: { logs: true } });
    const logs = Array.isArray(job?.logs) ? job.logs : [];
    await this.db.job.update({
      where: { id: jobId },
      data: { logs: [...logs, { at: new Date().toISOString(), message }] as Prisma.InputJsonValue },
    });
  }

  private announce(job: Job, phase: 'progress' | 'completed' | 'failed' | 'cancelled', message?: string): void {
    if (!job.designSystemId) return;
    this.events.publish(
      'job.progress',
      {
        teamId: job.teamId,
        designSystemId: job.designSystemId,
        jobId: job.id,
        name: job.name,
        status: job.status,
        progress: job.progress,
        phase,
        ...(message ? { message } : {}),
      },
      { userId: job.createdById },
    );
  }
}
