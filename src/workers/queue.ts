// Job queues: BullMQ on Redis (separate worker processes take the jobs), or, in single-node mode,
// an in-process runner with the same attempts and exponential backoff, through the same processors.
import { Queue, Worker, type Job } from 'bullmq';
import { createRedis, type Redis } from '../models/redis.ts';
import type { Logger } from 'pino';
import { captureTrace, inJobSpan, splitTrace, withTrace, type TraceCarrier } from '../observability/job-spans.ts';
import { queueOf, type EnqueueOptions, type JobName, type JobQueue, type JobTypes, type Processor } from './jobs.ts';

const DEFAULTS = { attempts: 5, backoffMs: 1000 };

/** BullMQ queues (one per job-name prefix); workers only where `runWorkers`. */
export function bullQueue(
  redisUrl: string,
  prefix: string,
  runWorkers: boolean,
  logger: Logger,
  lockMs = 30_000,
): JobQueue {
  const connection = createRedis(redisUrl, { logger, name: 'jobs', eager: true });
  const queues = new Map<string, Queue>();
  const workers: Worker[] = [];
  // BullMQ does not close connections it is given: every one made here is closed in close().
  const connections: Redis[] = [connection];
  const processors = new Map<string, Processor<JobName>>();
  // Queue and worker errors repeat with every retry while Redis is away: one line per 30 s.
  let lastError = 0;
  const quiet = (err: Error) => {
    if (Date.now() - lastError < 30_000) return;
    lastError = Date.now();
    logger.warn({ err: err.message }, 'job queue error (repeats are not logged for 30 s)');
  };
  const queue = (name: string) => {
    let q = queues.get(name);
    if (!q) {
      q = new Queue(name, { connection, prefix });
      q.on('error', (err) => quiet(err));
      queues.set(name, q);
    }
    return q;
  };
  return {
    async enqueue(name, payload, options = {}) {
      // The enqueuing request's trace travels in the job's data (nothing is added when tracing is off).
      await queue(queueOf(name)).add(name, withTrace(payload), {
        attempts: options.attempts ?? DEFAULTS.attempts,
        backoff: { type: 'exponential', delay: options.backoffMs ?? DEFAULTS.backoffMs },
        removeOnComplete: 1000,
        removeOnFail: 5000,
        ...(options.jobId ? { jobId: options.jobId } : {}),
        ...(options.delayMs ? { delay: options.delayMs } : {}),
      });
    },
    register(name, processor) {
      processors.set(name, processor as Processor<JobName>);
      const queueName = queueOf(name);
      if (!runWorkers || workers.some((w) => w.name === queueName)) return;
      const workerConnection = createRedis(redisUrl, { logger, name: 'worker', eager: true });
      connections.push(workerConnection);
      const worker = new Worker(
        queueName,
        async (job: Job) => {
          const run = processors.get(job.name);
          if (!run) throw new Error(`no processor for ${job.name}`);
          const attempts = job.opts.attempts ?? 1;
          // A run taken over from a worker that died counts as an attempt too (BullMQ counts it apart).
          const attempt = job.attemptsMade + (job.stalledCounter ?? 0) + 1;
          const { data, carrier } = splitTrace(job.data as JobTypes[JobName]);
          const traced = { name: job.name, queue: queueName, system: 'bullmq', id: job.id, attempt } as const;
          await inJobSpan(traced, carrier, () => run(data, { attempt, final: job.attemptsMade + 1 >= attempts }));
        },
        // A worker that dies stops renewing its lock. The lock lasts 2/3 of `lockMs` and stalled jobs
        // are looked for every 1/3, so another worker takes the job over within `lockMs` of the last
        // renewal, as documented.
        {
          connection: workerConnection,
          prefix,
          concurrency: 8,
          lockDuration: Math.ceil((lockMs * 2) / 3),
          stalledInterval: Math.ceil(lockMs / 3),
        },
      );
      worker.on('error', (err) => quiet(err));
      worker.on('failed', (job, err) =>
        logger.warn({ err, job: job?.name, attempt: job?.attemptsMade }, 'job attempt failed'),
      );
      workers.push(worker);
    },
    async close() {
      for (const w of workers) await w.close();
      for (const q of queues.values()) await q.close();
      await Promise.all(connections.map((c) => c.quit().catch(() => c.disconnect())));
    },
  };
}

/** Runs jobs in this process, retrying with exponential backoff: single-node mode. */
export function inlineQueue(logger: Logger): JobQueue {
  const processors = new Map<string, Processor<JobName>>();
  const timers = new Set<NodeJS.Timeout>();
  const running = new Set<Promise<void>>();
  const seen = new Set<string>();
  let closed = false;
  const attempt = (
    name: JobName,
    payload: JobTypes[JobName],
    options: Required<Omit<EnqueueOptions, 'jobId' | 'delayMs'>>,
    n: number,
    trace: TraceCarrier | undefined,
  ) => {
    if (closed) return;
    const run = processors.get(name);
    if (!run) {
      logger.error({ job: name }, 'no processor registered');
      return;
    }
    const traced = { name, queue: queueOf(name), system: 'in-process', attempt: n } as const;
    const task = inJobSpan(traced, trace, () => run(payload, { attempt: n, final: n >= options.attempts }))
      .catch((err: unknown) => {
        logger.warn({ err, job: name, attempt: n }, 'job attempt failed');
        if (n >= options.attempts) return;
        const timer = setTimeout(
          () => {
            timers.delete(timer);
            attempt(name, payload, options, n + 1, trace);
          },
          options.backoffMs * 2 ** (n - 1),
        );
        timer.unref();
        timers.add(timer);
      })
      .finally(() => running.delete(task));
    running.add(task);
  };
  return {
    async enqueue(name, payload, options = {}) {
      if (options.jobId) {
        if (seen.has(options.jobId)) return;
        seen.add(options.jobId);
      }
      const tries = {
        attempts: options.attempts ?? DEFAULTS.attempts,
        backoffMs: options.backoffMs ?? DEFAULTS.backoffMs,
      };
      const trace = captureTrace();
      if (!options.delayMs) return attempt(name, payload, tries, 1, trace);
      const timer = setTimeout(() => {
        timers.delete(timer);
        attempt(name, payload, tries, 1, trace);
      }, options.delayMs);
      timer.unref();
      timers.add(timer);
    },
    register(name, processor) {
      processors.set(name, processor as Processor<JobName>);
    },
    async close() {
      closed = true;
      for (const t of timers) clearTimeout(t);
      await Promise.allSettled([...running]);
    },
  };
}
