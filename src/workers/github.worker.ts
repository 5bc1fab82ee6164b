// The `github.push` processor: thin, it calls the service.
import type { Services } from '../services/index.ts';
import type { JobQueue } from './jobs.ts';

/** Registers the GitHub push processor. */
export function registerGithubWorker(queue: JobQueue, services: Services): void {
  queue.register('github.push', ({ jobId }, ctx) => services.githubSync.run(jobId, ctx));
}
