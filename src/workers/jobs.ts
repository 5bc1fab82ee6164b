// The typed job registry: job name → payload. The name's prefix picks the queue
// (`webhooks.deliver` runs on the `webhooks` queue). Processors are registered explicitly by name.

export interface JobTypes {
  'webhooks.deliver': { deliveryId: string };
  'ai.generateComponent': { jobId: string };
  'publish.package': { jobId: string };
  'github.push': { jobId: string };
  /** One email digest of a user's unread mentions and replies in one comment thread. */
  'notifications.digest': { userId: string; threadId: string };
}

export type JobName = keyof JobTypes;

/** What a processor learns about the attempt it runs. */
export interface JobContext {
  /** 1 for the first try. */
  attempt: number;
  /** Whether a failure now is the last one (no retry follows). */
  final: boolean;
}

export type Processor<N extends JobName> = (payload: JobTypes[N], ctx: JobContext) => Promise<void>;

export interface EnqueueOptions {
  /** Tries in total (the first included). */
  attempts?: number;
  /** Base of the exponential backoff between tries, in ms. */
  backoffMs?: number;
  /** A job id that makes enqueueing idempotent. */
  jobId?: string;
  /** Runs the first try no sooner than this many ms from now. */
  delayMs?: number;
}

/** Enqueues jobs; runs them where processors are registered. */
export interface JobQueue {
  enqueue<N extends JobName>(name: N, payload: JobTypes[N], options?: EnqueueOptions): Promise<void>;
  register<N extends JobName>(name: N, processor: Processor<N>): void;
  close(): Promise<void>;
}

/** The queue a job runs on: its name's prefix. */
export const queueOf = (name: string): string => name.slice(0, name.indexOf('.'));
