// HTTP duration histogram labelled by route pattern (never the raw URL) and status.
import type { RequestHandler } from 'express';
import { Histogram, type Registry } from 'prom-client';

/** Observes every response's duration once it finishes. */
export function httpMetrics(registry: Registry): RequestHandler {
  const histogram = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'HTTP request duration by method, route and status',
    labelNames: ['method', 'route', 'status_code'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry],
  });
  return (req, res, next) => {
    const end = histogram.startTimer({ method: req.method });
    res.on('finish', () => end({ route: res.locals.route ?? 'unmatched', status_code: String(res.statusCode) }));
    next();
  };
}
