// Composition root: config → infrastructure (database, Redis) → services → transports.
// Used by src/main.ts and by the tests, which start real servers on port 0.
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import { pino, type Logger } from 'pino';
import { collectDefaultMetrics, Registry } from 'prom-client';
import { createApp, createOpsApp, metricsAccess } from './api/app.ts';
import type { Config } from './config/config.ts';
import { localInvalidation, redisInvalidation, type CacheInvalidation } from './models/cache-invalidation.ts';
import { createDb, type Db } from './models/db.ts';
import { localBus, redisBus, type DocumentBus } from './models/documents/doc-bus.ts';
import { PgUpdateLog } from './models/documents/pg-update-log.ts';
import { startEmbeddedPostgres, type EmbeddedDatabase } from './models/embedded-postgres.ts';
import { applyMigrations, ensureDatabase } from './models/migrate.ts';
import { createRedis, type Redis } from './models/redis.ts';
import { createObjectStore, type ObjectStore } from './models/storage/index.ts';
import { createServices, type Services } from './services/index.ts';
import { listenAddress } from './utils/listen-address.ts';
import { StartupError } from './utils/startup-error.ts';
import { startHub } from './websocket/hub.ts';
import type { JobQueue } from './workers/jobs.ts';
import { bullQueue, inlineQueue } from './workers/queue.ts';
import { registerAiWorker } from './workers/ai.worker.ts';
import { registerPublishWorker } from './workers/publish.worker.ts';
import { registerGithubWorker } from './workers/github.worker.ts';
import { registerWebhookWorker } from './workers/webhooks.worker.ts';
import { registerNotificationWorker } from './workers/notifications.worker.ts';
import type { Hub } from './websocket/types.ts';

export interface Ensemble {
  url: string;
  http: Server;
  db: Db;
  redis: Redis | null;
  services: Services;
  /** The realtime hub (web and all roles). */
  hub: Hub | null;
  logger: Logger;
  mode: { database: 'embedded' | 'external'; redis: 'redis' | 'single-node'; storage: 'filesystem' | 's3' };
  close(): Promise<void>;
}

/** The JWT secret: configured, or generated once and kept in DATA_DIR for development. */
async function resolveSecret(config: Config): Promise<string> {
  if (config.JWT_SECRET) return config.JWT_SECRET;
  const file = resolve(config.DATA_DIR, 'jwt-secret');
  try {
    return (await readFile(file, 'utf8')).trim();
  } catch {
    const secret = randomBytes(48).toString('base64url');
    await mkdir(resolve(config.DATA_DIR), { recursive: true });
    await writeFile(file, secret, { mode: 0o600 });
    return secret;
  }
}

async function openDatabase(
  config: Config,
  logger: Logger,
): Promise<{ url: string; embedded: EmbeddedDatabase | null }> {
  if (config.DATABASE_URL) return { url: config.DATABASE_URL, embedded: null };
  logger.info({ dataDir: resolve(config.DATA_DIR) }, 'no DATABASE_URL: starting embedded PostgreSQL');
  const embedded = await startEmbeddedPostgres(config.DATA_DIR, config.EMBEDDED_PG_PORT, logger);
  await ensureDatabase(embedded.url);
  return { url: embedded.url, embedded };
}

/** Object storage: S3-compatible when configured, else files under DATA_DIR/objects. */
function openStore(config: Config): ObjectStore {
  if (!config.S3_ENDPOINT) return createObjectStore({ dataDir: config.DATA_DIR });
  const url = new URL(config.S3_ENDPOINT);
  return createObjectStore({
    dataDir: config.DATA_DIR,
    s3: {
      endPoint: url.hostname,
      port: Number(url.port) || (url.protocol === 'https:' ? 443 : 80),
      useSSL: url.protocol === 'https:',
      accessKey: config.S3_ACCESS_KEY as string,
      secretKey: config.S3_SECRET_KEY as string,
      bucket: config.S3_BUCKET,
      region: config.S3_REGION,
    },
  });
}

/** Starts Ensemble with the given config: migrations, services and the HTTP server. */
export async function startEnsemble(
  config: Config,
  logger: Logger = pino({ level: config.LOG_LEVEL }),
): Promise<Ensemble> {
  // A busy port fails now, before a database is started and migrated for nothing.
  if (config.PORT !== 0) await listenOn(createServer(), config).then((probe) => new Promise((ok) => probe.close(ok)));
  const { url: databaseUrl, embedded } = await openDatabase(config, logger);
  try {
    return await startOn(config, logger, databaseUrl, embedded);
  } catch (err) {
    // Nothing may outlive a failed start: the embedded PostgreSQL would be orphaned.
    await embedded?.stop().catch(() => undefined);
    throw err;
  }
}

/** Listens on HOST:PORT; a port in use or not allowed is a StartupError naming it. */
function listenOn(http: Server, config: Config): Promise<Server> {
  return new Promise((ok, fail) => {
    const refused = (err: NodeJS.ErrnoException) => {
      const where = `${config.HOST}:${config.PORT}`;
      if (err.code === 'EADDRINUSE')
        fail(
          new StartupError(
            `port ${where} is already in use (another Ensemble or another program)`,
            `Stop it, or start on another port: PORT=${config.PORT + 1} npm start`,
          ),
        );
      else if (err.code === 'EACCES')
        fail(
          new StartupError(
            `not allowed to listen on ${where}`,
            'Use a port above 1023, or grant the capability (setcap cap_net_bind_service)',
          ),
        );
      else if (err.code === 'EADDRNOTAVAIL')
        fail(
          new StartupError(
            `HOST ${config.HOST} is not an address of this machine`,
            'Set HOST to 0.0.0.0, 127.0.0.1 or one of its addresses',
          ),
        );
      else fail(err);
    };
    http.once('error', refused);
    http.listen(config.PORT, config.HOST, () => {
      http.off('error', refused);
      ok(http);
    });
  });
}

/** Migrations; a database that cannot be reached or migrated is a StartupError saying which. */
async function migrate(databaseUrl: string): Promise<string[]> {
  try {
    return await applyMigrations(databaseUrl);
  } catch (err) {
    const where = new URL(databaseUrl);
    const code = (err as NodeJS.ErrnoException).code ?? '';
    const reason = err instanceof Error ? err.message.split('\n')[0] : String(err);
    if (['ECONNREFUSED', 'ENOTFOUND', 'ETIMEDOUT', 'EHOSTUNREACH'].includes(code)) {
      throw new StartupError(
        `PostgreSQL at ${where.host} cannot be reached (${code})`,
        'Start it, fix DATABASE_URL, or leave DATABASE_URL unset to use the embedded PostgreSQL',
      );
    }
    throw new StartupError(
      `migrating the database at ${where.host}${where.pathname} failed (${reason})`,
      'Check DATABASE_URL and that its user may create tables; `npm run db:check` compares the schema with the migrations',
    );
  }
}

async function startOn(
  config: Config,
  logger: Logger,
  databaseUrl: string,
  embedded: EmbeddedDatabase | null,
): Promise<Ensemble> {
  const applied = await migrate(databaseUrl);
  if (applied.length) logger.info({ applied }, 'migrations applied');
  const db = createDb(databaseUrl, config.DATABASE_POOL_SIZE);

  let redis: Redis | null = null;
  let subscriber: Redis | null = null;
  let documentBus: DocumentBus = localBus();
  let invalidation: CacheInvalidation = localInvalidation();
  if (config.REDIS_URL) {
    redis = createRedis(config.REDIS_URL, { keyPrefix: config.REDIS_KEY_PREFIX, logger, name: 'state' });
    subscriber = createRedis(config.REDIS_URL, { logger, name: 'documents' });
    await Promise.all([redis.connect(), subscriber.connect()]);
    documentBus = redisBus(redis, subscriber, config.REDIS_KEY_PREFIX);
    // The caches' invalidations ride the documents' subscriber connection, on their own channel.
    invalidation = await redisInvalidation(redis, subscriber, config.REDIS_KEY_PREFIX);
  }
  const updateLog = new PgUpdateLog(databaseUrl, { commitWindowMs: config.DOC_COMMIT_WINDOW_MS });

  const store = openStore(config);
  const secret = await resolveSecret(config);
  // With Redis, jobs go to BullMQ and `worker` (and `all`) processes run them; without, in-process.
  const runWorkers = config.ENSEMBLE_ROLE !== 'web';
  const queue: JobQueue = config.REDIS_URL
    ? bullQueue(config.REDIS_URL, `${config.REDIS_KEY_PREFIX}bull`, runWorkers, logger, config.JOB_LOCK_MS)
    : inlineQueue(logger);
  const services = createServices({
    config,
    db,
    redis,
    logger,
    jwtSecret: secret,
    store,
    updateLog,
    documentBus,
    queue,
    invalidation,
  });
  registerWebhookWorker(queue, services);
  registerAiWorker(queue, services);
  registerPublishWorker(queue, services);
  registerGithubWorker(queue, services);
  registerNotificationWorker(queue, services);
  // A node that runs jobs also finds the digests that were never queued (Redis down, a restart).
  if (runWorkers || !config.REDIS_URL)
    services.emailDigests?.startSweeping((err) => logger.warn({ err }, 'email digest sweep failed; next in one delay'));
  if (!config.REDIS_URL) {
    // In-process queues live in memory: pick up what a crash or restart interrupted.
    await services.webhooks.resumePending();
    await services.jobs.resumeUnfinished();
  }
  const metrics = new Registry();
  collectDefaultMetrics({ register: metrics });
  if (services.emailDigests) metrics.registerMetric(services.emailDigests.metrics.digests);

  // Every role serves /health, /ready and /metrics; only web and all serve the API.
  const http = await listenOn(createServer(), config);
  const { listening, url } = listenAddress(http.address() as AddressInfo);
  const publicUrl = config.PUBLIC_URL ?? url;
  services.emailDigests?.setPublicUrl(publicUrl);

  const readiness = [
    { name: 'database', check: () => db.$queryRaw`SELECT 1` },
    ...(redis ? [{ name: 'redis', check: () => (redis as Redis).ping() }] : []),
    { name: 'storage', check: () => store.ready() },
  ];
  const serveApi = config.ENSEMBLE_ROLE !== 'worker';
  http.on(
    'request',
    serveApi
      ? createApp({ config, services, logger, metrics, readiness, publicUrl, secret })
      : createOpsApp(readiness, metrics, metricsAccess(config)),
  );
  let adapterRedis: { pub: Redis; sub: Redis } | null = null;
  if (serveApi && config.REDIS_URL) {
    adapterRedis = {
      pub: createRedis(config.REDIS_URL, { logger, name: 'socket.io' }),
      sub: createRedis(config.REDIS_URL, { logger, name: 'socket.io subscriber' }),
    };
    await Promise.all([adapterRedis.pub.connect(), adapterRedis.sub.connect()]);
  }
  const realtime = serveApi
    ? startHub({ http, config, services, logger, registry: metrics, redis: adapterRedis })
    : null;

  const mode = {
    database: embedded ? 'embedded' : 'external',
    redis: redis ? 'redis' : 'single-node',
    storage: store.kind,
  } as const;
  const role = config.ENSEMBLE_ROLE;
  logger.info({ listening, url, mode, role }, `Ensemble (${role}) listening on ${listening}: open ${url}`);

  const sweeper = setInterval(() => {
    services.documents.unloadIdle().catch((err: unknown) => logger.error({ err }, 'unloading idle documents failed'));
    // Clustered, a node may miss another's announcement: catch up from the log now and then.
    if (redis) services.documents.resyncAll().catch((err: unknown) => logger.error({ err }, 'document resync failed'));
  }, 30_000);
  sweeper.unref();

  let closing: Promise<void> | undefined;
  const close = () =>
    (closing ??= (async () => {
      // New connections are refused from here (clients retry: another node, or this one once back).
      const ended = new Promise<void>((ok) => http.close(() => ok()));
      await realtime?.close();
      // REST requests in progress may finish (bounded); idle keep-alive connections close now.
      http.closeIdleConnections();
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([ended, new Promise((ok) => (timer = setTimeout(ok, config.SHUTDOWN_DRAIN_MS)))]);
      clearTimeout(timer);
      http.closeAllConnections();
      clearInterval(sweeper);
      await services.materialiser.flushAll();
      await services.documents.flush();
      await services.events.drain();
      await queue.close();
      services.emailDigests?.close();
      await updateLog.close();
      await db.$disconnect();
      await documentBus.close();
      await invalidation.close();
      await subscriber?.quit();
      await adapterRedis?.pub.quit();
      await adapterRedis?.sub.quit();
      await redis?.quit();
      await embedded?.stop();
    })());

  return { url, http, db, redis, services, hub: realtime?.hub ?? null, logger, mode, close };
}
