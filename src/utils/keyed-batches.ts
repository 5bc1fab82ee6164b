// Runs work per key one batch at a time: the first job for a key starts at once; jobs that arrive
// while a batch of that key is running wait and then run together as the next batch. Used where
// every job of a key must take the same lock (one component's row): N writers take it once, not N
// times, and an uncontended job waits for nothing.

/** A batch's answer for a job that failed on its own (the others of its batch may have succeeded). */
export class Failure {
  readonly error: unknown;
  constructor(error: unknown) {
    this.error = error;
  }
}

/** One job's input and how to answer it. */
interface Queued<J, R> {
  job: J;
  resolve: (result: R) => void;
  reject: (err: unknown) => void;
}

/**
 * `run(key, job)` resolves with the job's own result. `batch(key, jobs)` answers every job in order,
 * with its result or a `Failure`; if it throws, every job of that batch gets the error.
 */
export class KeyedBatches<J, R> {
  private readonly waiting = new Map<string, Queued<J, R>[]>();
  private readonly running = new Set<string>();
  private readonly batch: (key: string, jobs: J[]) => Promise<(R | Failure)[]>;
  private readonly maxBatch: number;

  constructor(batch: (key: string, jobs: J[]) => Promise<(R | Failure)[]>, maxBatch = 64) {
    this.batch = batch;
    this.maxBatch = maxBatch;
  }

  run(key: string, job: J): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      const queue = this.waiting.get(key) ?? [];
      queue.push({ job, resolve, reject });
      this.waiting.set(key, queue);
      if (!this.running.has(key)) void this.drain(key);
    });
  }

  private async drain(key: string): Promise<void> {
    this.running.add(key);
    try {
      for (;;) {
        const queue = this.waiting.get(key);
        if (!queue?.length) break;
        const taken = queue.splice(0, this.maxBatch);
        if (!queue.length) this.waiting.delete(key);
        try {
          const results = await this.batch(
            key,
            taken.map((q) => q.job),
          );
          for (const [i, q] of taken.entries()) {
            const result = results[i] as R | Failure;
            if (result instanceof Failure) q.reject(result.error);
            else q.resolve(result);
          }
        } catch (err) {
          for (const q of taken) q.reject(err);
        }
      }
    } finally {
      this.running.delete(key);
    }
  }
}
