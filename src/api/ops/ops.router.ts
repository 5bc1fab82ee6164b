// Operations: liveness, readiness (503 until the database and Redis answer) and Prometheus metrics.
import { Router } from 'express';
import type { Registry } from 'prom-client';
import { safeEqual } from '../../utils/crypto.ts';

export interface ReadinessCheck {
  name: string;
  check(): Promise<unknown>;
}

const withTimeout = <T>(p: Promise<T>, ms: number) =>
  Promise.race([p, new Promise<never>((_, reject) => setTimeout(() => reject(new Error('timeout')), ms).unref())]);

/**
 * Who may read /metrics: with a token, requests bearing it; without one, anyone in development and
 * nobody in production (per-route counts and memory figures are not for the public port).
 */
export type MetricsAccess = { token: string } | 'open' | 'closed';

/** /health, /ready and /metrics. */
export function opsRouter(checks: ReadinessCheck[], metrics: Registry, access: MetricsAccess): Router {
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
    res
      .status(ready ? 200 : 503)
      .json({ status: ready ? 'ready' : 'unavailable', checks: Object.fromEntries(results) });
  });
  router.get('/metrics', async (req, res) => {
    res.locals.route = '/metrics';
    const allowed =
      access === 'open' ||
      (typeof access === 'object' && safeEqual(req.headers.authorization ?? '', `Bearer ${access.token}`));
    if (!allowed) {
      // Closed looks like nothing is there; a wrong token is told so.
      if (access === 'closed')
        return void res
          .status(404)
          .json({ error: { code: 'not_found', message: 'Set METRICS_TOKEN to serve /metrics' } });
      return void res
        .status(401)
        .set('WWW-Authenticate', 'Bearer')
        .json({
          error: { code: 'unauthenticated', message: 'GET /metrics with Authorization: Bearer <METRICS_TOKEN>' },
        });
    }
    res.set('Content-Type', metrics.contentType).send(await metrics.metrics());
  });
  return router;
}
