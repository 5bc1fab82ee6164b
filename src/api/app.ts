// The Express application: security headers, CORS allowlist, request ids and logs, metrics,
// JSON bodies with a size cap, authentication, the resource routers, docs, and the error table.
import cors from 'cors';
import express, { type Express } from 'express';
import helmet from 'helmet';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import type { Config } from '../config/config.ts';
import { authenticate } from '../middleware/authenticate.ts';
import { bodyShape } from '../middleware/body-shape.ts';
import { errorHandler, routeNotFound } from '../middleware/error-handler.ts';
import { httpMetrics } from '../middleware/metrics.ts';
import { requestLogger } from '../middleware/request-logger.ts';
import { httpTracing } from '../middleware/tracing.ts';
import { tracingEnabled } from '../observability/tracing.ts';
import '../middleware/request.ts';
import type { Services } from '../services/index.ts';
import { apiKeyRoutes } from './api-keys/api-keys.router.ts';
import { authRoutes } from './auth/auth.router.ts';
import { branchRoutes, branchSettingsRoutes } from './branches/branches.router.ts';
import { githubRoutes } from './auth/github.router.ts';
import { oidcRoutes } from './auth/oidc.router.ts';
import { activityRoutes } from './activity/activity.router.ts';
import { assetRoutes } from './assets/assets.router.ts';
import { commentRoutes } from './comments/comments.router.ts';
import { componentRoutes } from './components/components.router.ts';
import { notificationRoutes } from './notifications/notifications.router.ts';
import { designSystemRoutes } from './design-systems/design-systems.router.ts';
import { docsRouter } from './docs/docs.router.ts';
import { OpenApiRegistry } from './openapi/registry.ts';
import { opsRouter, type MetricsAccess, type ReadinessCheck } from './ops/ops.router.ts';
import { invitationRoutes, memberRoutes } from './teams/members.router.ts';
import { presenceRoutes } from './presence/presence.router.ts';
import { jobRoutes } from './jobs/jobs.router.ts';
import { publishRoutes, registryRoutes } from './publish/publish.router.ts';
import { teamRoutes } from './teams/teams.router.ts';
import { webhookRoutes } from './webhooks/webhooks.router.ts';
import { githubSyncRoutes, githubWebhookBody, GITHUB_WEBHOOK_PATH } from './github/github.router.ts';
import { figmaRoutes } from './figma/figma.router.ts';
import { TOKEN_IMPORT_PATH, tokenImportJson, tokenRoutes } from './tokens/tokens.router.ts';
import { realtimeDocsRouter } from './web/realtime-docs.router.ts';
import { webRouter } from './web/web.router.ts';

export interface AppDeps {
  config: Config;
  services: Services;
  logger: Logger;
  metrics: Registry;
  readiness: ReadinessCheck[];
  publicUrl: string;
  secret: string;
}

/** Who may read /metrics under this config (docs/configuration.md). */
export function metricsAccess(config: Config): MetricsAccess {
  if (config.METRICS_TOKEN) return { token: config.METRICS_TOKEN };
  return config.NODE_ENV === 'production' ? 'closed' : 'open';
}

/** The operations-only application a worker process serves: health, readiness and metrics. */
export function createOpsApp(readiness: ReadinessCheck[], metrics: Registry, access: MetricsAccess): Express {
  const app = express();
  app.disable('x-powered-by');
  app.use(opsRouter(readiness, metrics, access));
  app.use(routeNotFound);
  app.use(errorHandler);
  return app;
}

/** Builds the HTTP application. */
export function createApp({ config, services, logger, metrics, readiness, publicUrl, secret }: AppDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', config.TRUST_PROXY);
  // HSTS and upgrade-insecure-requests only where the server is reached over https: over plain http
  // (development, http://<host-ip>:3000) they make browsers refuse the page's own resources.
  const https = config.PUBLIC_URL?.startsWith('https:') ?? false;
  app.use(
    helmet({
      strictTransportSecurity: https,
      contentSecurityPolicy: { directives: { upgradeInsecureRequests: https ? [] : null } },
    }),
  );
  app.use(
    cors({
      // Only listed origins get CORS headers; requests without an Origin (CLI, server-to-server) pass.
      origin: (origin, cb) =>
        cb(null, !origin || config.CORS_ORIGINS.includes(origin) || config.CORS_ORIGINS.includes('*')),
      credentials: true,
      exposedHeaders: ['X-Request-Id', 'Retry-After', 'ETag'],
    }),
  );
  if (tracingEnabled()) app.use(httpTracing());
  app.use(requestLogger(logger));
  app.use(httpMetrics(metrics));
  app.use(opsRouter(readiness, metrics, metricsAccess(config)));

  const registry = new OpenApiRegistry();
  app.use(docsRouter(() => registry.document({ title: 'Ensemble API', version: '0.1.0', serverUrl: publicUrl })));
  app.use(realtimeDocsRouter(), webRouter());

  // GitHub signs the exact bytes it sends: that one route keeps its raw body.
  app.use(GITHUB_WEBHOOK_PATH, githubWebhookBody(config.TOKEN_IMPORT_MAX_BYTES));
  // Token files may be as large in a JSON body as in a multipart upload.
  app.use(TOKEN_IMPORT_PATH, tokenImportJson(config.TOKEN_IMPORT_MAX_BYTES));
  app.use(express.json({ limit: config.BODY_LIMIT_BYTES, strict: true }));
  app.use(bodyShape);
  app.use(authenticate(services.authenticator));

  const routers = [
    authRoutes(services, registry),
    githubRoutes(services, registry, {
      clientId: config.GITHUB_CLIENT_ID,
      clientSecret: config.GITHUB_CLIENT_SECRET,
      authorizeUrl: config.GITHUB_AUTHORIZE_URL,
      tokenUrl: config.GITHUB_TOKEN_URL,
      apiUrl: config.GITHUB_API_URL,
      publicUrl,
      successRedirect: config.OAUTH_SUCCESS_REDIRECT,
      redirectOrigins: config.AUTH_REDIRECT_ORIGINS,
      stateSecret: secret,
    }),
    oidcRoutes(services, registry, {
      publicUrl,
      successRedirect: config.OAUTH_SUCCESS_REDIRECT,
      redirectOrigins: config.AUTH_REDIRECT_ORIGINS,
      secret,
    }),
    teamRoutes(services, registry),
    memberRoutes(services, registry),
    ...invitationRoutes(services, registry),
    apiKeyRoutes(services, registry),
    designSystemRoutes(services, registry),
    componentRoutes(services, registry),
    assetRoutes(services, registry, config.ASSET_MAX_BYTES, publicUrl),
    activityRoutes(services, registry),
    tokenRoutes(services, registry, config.TOKEN_IMPORT_MAX_BYTES),
    presenceRoutes(services, registry),
    commentRoutes(services, registry),
    notificationRoutes(services, registry),
    webhookRoutes(services, registry),
    jobRoutes(services, registry),
    publishRoutes(services, registry),
    registryRoutes(services, registry),
    branchRoutes(services, registry),
    branchSettingsRoutes(services, registry),
    ...githubSyncRoutes(services, registry, publicUrl),
    figmaRoutes(services, registry),
  ];
  // Longer bases first, so /api/auth/github is not swallowed by /api/auth's router.
  for (const r of routers.sort((a, b) => b.base.length - a.base.length)) app.use(r.base, r.router);

  app.use(routeNotFound);
  app.use(errorHandler);
  return app;
}
