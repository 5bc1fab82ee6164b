// Counters of digest outcomes, made without a registry: the composition root registers them on the
// process's /metrics registry, so a failing relay shows there and not only in the logs.
import { Counter } from 'prom-client';

/** The digest counters. */
export interface DigestMetrics {
  /** `sent`, `suppressed` (the preferences held it back), `retried` (a failed try), `failed` (the last one). */
  digests: Counter<'outcome'>;
}

/** New, unregistered digest counters. */
export function digestMetrics(): DigestMetrics {
  return {
    digests: new Counter({
      name: 'ensemble_email_digests_total',
      help: 'Email digest jobs by outcome: sent, suppressed, retried (a failed try), failed (out of tries)',
      labelNames: ['outcome'],
      registers: [],
    }),
  };
}
