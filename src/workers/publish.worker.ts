// The `publish.package` processor: thin, it calls the service.
import type { Services } from '../services/index.ts';
import type { JobQueue } from './jobs.ts';

/** Registers the publish processor. */
export function registerPublishWorker(queue: JobQueue, services: Services): void {
  queue.register('publish.package', ({ jobId }, ctx) => services.publish.run(jobId, ctx));
}
