// Operations: liveness, readiness (503 until the database and Redis answer) and Prometheus metrics.
import { Router } from 'express';
import type { Registry } from 'prom-client';

export interface ReadinessCheck {
  name: string;
  check(): Promise<unknown>;
}

const withTimeout = <T>(p: Promise<T>, ms: number) =>
  Promise.race([p, new Promise<never>((_, reject) => setTimeout(() => reject(new Error('timeout')), ms).unref())]);

/** /health, /ready and /metrics. */
export function opsRouter(checks: ReadinessCheck[], metrics: Registry): Router {
  const router = Router();
  router.get('/health', (_req, res) => {
    res.locals.route = '/health';
    res.json({ status: 'ok' });
  });
  router.get('/ready', async (_req, res) => {
    res.locals.route = '/ready';
    const results = await Promise.all(
      checks.map(async (c) => {
        try {
          await withTimeout(c.check(), 2000);
          return [c.name, 'ok'] as const;
        } catch {
          return [c.name, 'unavailable'] as const;
        }
      }),
    );
    const ready = results.every(([, s]) => s === 'ok');
    res.status(ready ? 200 : 503).json({ status: ready ? 'ready' : 'unavailable', checks: Object.fromEntries(results) });
  });
  router.get('/metrics', async (_req, res) => {
    res.locals.route = '/metrics';
    res.set('Content-Type', metrics.contentType).send(await metrics.metrics());
  });
  return router;
}
