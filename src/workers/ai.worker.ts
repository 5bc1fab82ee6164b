// The `ai.generateComponent` processor: thin, it calls the service.
import type { Services } from '../services/index.ts';
import type { JobQueue } from './jobs.ts';

/** Registers the AI generation processor. */
export function registerAiWorker(queue: JobQueue, services: Services): void {
  queue.register('ai.generateComponent', ({ jobId }, ctx) => services.ai.run(jobId, ctx));
}
