// Builds every domain service from the infrastructure. Called once by the composition root.
import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import type { Config } from '../config/config.ts';
import type { CacheInvalidation } from '../models/cache-invalidation.ts';
import { memoryCounters, redisCounters } from '../models/counters.ts';
import type { Db } from '../models/db.ts';
import type { Redis } from '../models/redis.ts';
import type { ObjectStore } from '../models/storage/index.ts';
import { ActivityService } from './activity/activity.service.ts';
import { AiService } from './ai/ai.service.ts';
import { anthropicProvider } from './ai/providers/anthropic.provider.ts';
import { openAiProvider } from './ai/providers/openai.provider.ts';
import type { AiProvider } from './ai/providers/provider.ts';
import { templateProvider } from './ai/providers/template.provider.ts';
import { branchOwner } from './branches/branch-docs.ts';
import { BranchService } from './branches/branches.service.ts';
import { MergeRequestService } from './branches/merge-requests.service.ts';
import { BranchSettingsService } from './branches/settings.service.ts';
import { JobService } from './jobs/jobs.service.ts';
import { PublishService } from './publish/publish.service.ts';
import { subscribeActivityLog } from './activity/activity.subscriber.ts';
import { ApiKeyService } from './api-keys/api-keys.service.ts';
import { AssetService } from './assets/assets.service.ts';
import { AssetUrlSigner } from './assets/asset-urls.ts';
import { AuthService } from './auth/auth.service.ts';
import { Authenticator } from './auth/authenticate.ts';
import { GithubSignIn } from './auth/github.service.ts';
import { OidcSignIn } from './auth/oidc.service.ts';
import { AccessTokens } from './auth/jwt.ts';
import { createPasswordHasher } from './auth/passwords.ts';
import { SessionCache } from './auth/session-cache.ts';
import type { DocumentBus } from '../models/documents/doc-bus.ts';
import type { PgUpdateLog } from '../models/documents/pg-update-log.ts';
import { ComponentService } from './components/components.service.ts';
import { ComponentVersionService } from './components/versions.service.ts';
import { DesignSystemRows } from './design-systems/design-system-rows.ts';
import { DesignSystemService } from './design-systems/design-systems.service.ts';
import { ExportService } from './design-systems/export.service.ts';
import { DesignTokenService } from './design-tokens/design-tokens.service.ts';
import { materialiseTokens } from './design-tokens/token-rows.ts';
import { TokenWork } from './tokens/worker/token-work.ts';
import type { DocumentOwner } from './documents/document-change.ts';
import { DocumentService } from './documents/document.service.ts';
import type { DocumentName } from './documents/document-names.ts';
import { Materialiser } from './documents/materialiser.ts';
import { componentRules } from './documents/rules/component-rules.ts';
import { tokensRules } from './documents/rules/tokens-rules.ts';
import { EventBus } from './events/bus.ts';
import { RateLimiter } from './rate-limit.service.ts';
import { MemberService } from './teams/members.service.ts';
import { InvitationService } from './teams/invitations.service.ts';
import { TeamService } from './teams/teams.service.ts';
import { UserService } from './users/users.service.ts';
import { PrivacyService } from './users/privacy.service.ts';
import { teamPrefix } from './assets/assets.service.ts';
import { memoryRealtimeStore, redisRealtimeStore } from '../models/realtime/realtime-store.ts';
import { CollaborationService } from './realtime/collaboration.service.ts';
import { CommentService } from './comments/comments.service.ts';
import { ReactionService } from './comments/reactions.service.ts';
import { NotificationService } from './notifications/notifications.service.ts';
import { WebhookService } from './webhooks/webhooks.service.ts';
import { subscribeWebhooks } from './webhooks/webhooks.subscriber.ts';
import { createGithubSync } from './github/index.ts';
import { createFigma } from './figma/index.ts';
import type { JobQueue } from '../workers/jobs.ts';
import { SecretBox } from '../utils/secret-box.ts';
import { subscribeNotifications } from './notifications/notifications.subscriber.ts';
import { createEmail } from './email/index.ts';
import { ConflictTracker } from './realtime/conflicts.ts';
import { ConnectionLimiter } from './realtime/connections.service.ts';
import { LockService } from './realtime/locks.service.ts';
import { PresenceService } from './realtime/presence.service.ts';
import { TypingService } from './realtime/typing.service.ts';

export interface ServiceDeps {
  config: Config;
  db: Db;
  redis: Redis | null;
  logger: Logger;
  jwtSecret: string;
  store: ObjectStore;
  updateLog: PgUpdateLog;
  documentBus: DocumentBus;
  queue: JobQueue;
  /** Tells every node's caches what changed (src/models/cache-invalidation.ts). */
  invalidation: CacheInvalidation;
}

/** The configured model provider (the offline template by default). */
function aiProvider(config: Config): AiProvider {
  if (config.AI_PROVIDER === 'openai')
    return openAiProvider(config.AI_BASE_URL as string, config.AI_API_KEY, config.AI_MODEL ?? 'gpt-4o-mini');
  if (config.AI_PROVIDER === 'anthropic')
    return anthropicProvider(config.AI_BASE_URL as string, config.AI_API_KEY, config.AI_MODEL ?? 'claude-sonnet-4-5');
  return templateProvider();
}

/** Builds the services; nothing here knows about HTTP or sockets. */
export function createServices({
  config,
  db,
  redis,
  logger,
  jwtSecret,
  store,
  updateLog,
  documentBus,
  queue,
  invalidation,
}: ServiceDeps) {
  const events = new EventBus((err, event) => logger.error({ err, event: event.name }, 'event handler failed'));
  const activityLog = subscribeActivityLog(events, db);
  const limiter = new RateLimiter(redis ? redisCounters(redis) : memoryCounters());
  const tokens = new AccessTokens({
    secret: jwtSecret,
    issuer: config.JWT_ISSUER,
    audience: config.JWT_AUDIENCE,
    ttlSeconds: config.ACCESS_TOKEN_TTL_SECONDS,
  });
  const sessions = new SessionCache(invalidation, config.SESSION_CACHE_MS);
  const auth = new AuthService(
    db,
    createPasswordHasher(config.PASSWORD_HASH_MEMORY_KIB),
    tokens,
    limiter,
    {
      refreshTtlDays: config.REFRESH_TOKEN_TTL_DAYS,
      reuseGraceSeconds: config.REFRESH_REUSE_GRACE_SECONDS,
      loginLimitPerIp: config.LOGIN_LIMIT_PER_IP,
      loginLimitPerEmail: config.LOGIN_LIMIT_PER_EMAIL,
      loginWindowSeconds: config.LOGIN_LIMIT_WINDOW_SECONDS,
    },
    events,
    sessions,
  );
  const apiKeys = new ApiKeyService(db, events);

  const resolveOwner = async (name: DocumentName) => {
    // A branch's copy: owned like its branch, loaded from its fork base (docs/branches.md).
    if (name.branchId) return branchOwner(db, name);
    const { kind, id } = name;
    if (kind === 'tokens') {
      const ds = await db.designSystem.findUnique({ where: { id }, select: { id: true, teamId: true } });
      return ds && { teamId: ds.teamId, designSystemId: ds.id };
    }
    const c = await db.component.findUnique({
      where: { id },
      select: { designSystem: { select: { id: true, teamId: true } } },
    });
    return c && ({ teamId: c.designSystem.teamId, designSystemId: c.designSystem.id } as DocumentOwner);
  };
  const realtime = redis ? redisRealtimeStore(redis) : memoryRealtimeStore();
  const nodeId = randomUUID();
  const lease = async (key: string) => {
    if ((await realtime.acquire(`lease:${key}`, nodeId, 60_000)) !== nodeId) return false;
    return realtime.renew(`lease:${key}`, nodeId, 60_000);
  };
  const nameTaken = async (designSystemId: string, componentId: string, name: string) =>
    (await db.component.count({ where: { designSystemId, name, NOT: { id: componentId } } })) > 0;
  const documents = new DocumentService(
    updateLog,
    documentBus,
    resolveOwner,
    { component: componentRules(nameTaken), tokens: tokensRules() },
    {
      maxUpdateBytes: config.MAX_DOC_UPDATE_BYTES,
      compactAfterUpdates: config.DOC_COMPACT_AFTER_UPDATES,
      idleUnloadMs: config.DOC_IDLE_UNLOAD_SECONDS * 1000,
      clustered: Boolean(redis),
      ...(redis ? { lease } : {}),
      onError: (err, name) => logger.error({ err, document: name }, 'document change listener failed'),
    },
  );
  const designSystems = new DesignSystemService(
    db,
    events,
    documents,
    new DesignSystemRows(db, invalidation, config.SESSION_CACHE_MS),
  );
  const versions = new ComponentVersionService(db);
  // The handlers are bound late: the component service needs the materialiser and vice versa.
  const materialiser = new Materialiser(
    documents,
    {
      component: async (id) => void (await components.materialise(id)),
      tokens: (id) => materialiseTokens(db, documents, id),
    },
    config.MATERIALISE_DEBOUNCE_MS,
    (err, name) => logger.error({ err, document: name }, 'materialising failed'),
  );
  const components = new ComponentService(db, events, documents, materialiser, designSystems, versions);
  const locks = new LockService(realtime, config.LOCK_TTL_SECONDS * 1000);
  components.addWriteGuard((actor, componentId) => locks.assertWritable(actor, componentId));
  documents.addWriteGuard(async (actor, name) => {
    // Locks are main's: a branch's copy of a component is edited apart from it.
    if (name.kind === 'component' && !name.branchId) await locks.assertWritable(actor, name.id);
  });
  const presence = new PresenceService(realtime, db, {
    ttlMs: config.PRESENCE_TTL_SECONDS * 1000,
    lastSeenEveryMs: 30_000,
  });
  const comments = new CommentService(db, events, documents, limiter, config.COMMENT_RATE_PER_MINUTE);
  const notifications = new NotificationService(db, events);
  subscribeNotifications(events, db, notifications);
  const email = createEmail(config, { db, queue, events, notifications, secret: jwtSecret });
  const branchSettings = new BranchSettingsService(db);
  const branches = new BranchService(db, events, documents, designSystems);
  // Merged and closed branches are read-only; a protected main takes direct writes from admins only.
  documents.addWriteGuard(async (actor, name, owner) => {
    await branches.assertWritable(name);
    if (!name.branchId) await branchSettings.assertMainWritable(actor, owner);
  });
  designSystems.addWriteCheck((actor, ds) => branchSettings.assertMainWritable(actor, ds));
  const webhooks = new WebhookService(
    db,
    queue,
    new SecretBox(jwtSecret, 'webhook-secrets'),
    {
      policy: { allowHosts: config.OUTBOUND_ALLOW_HOSTS },
      timeoutMs: config.WEBHOOK_TIMEOUT_MS,
      attempts: config.WEBHOOK_MAX_ATTEMPTS,
      backoffMs: config.WEBHOOK_RETRY_BASE_MS,
      disableAfter: config.WEBHOOK_DISABLE_AFTER,
      cacheMs: config.WEBHOOK_CACHE_MS,
    },
    invalidation,
  );
  subscribeWebhooks(events, webhooks);
  // A deleted team's files go with it; its documents went with its rows, and live copies go on every node.
  events.on('team.deleted', async ({ payload }) => {
    await documents.forgetOwned({ teamId: payload.teamId });
    await store.deletePrefix(teamPrefix(payload.teamId));
  });
  const exports = new ExportService(db, documents, materialiser, designSystems);
  const jobs = new JobService(db, queue, events);
  const authenticator = new Authenticator(db, tokens, auth, apiKeys);
  const designTokens = new DesignTokenService(
    db,
    events,
    documents,
    materialiser,
    designSystems,
    {
      maxBytes: config.TOKEN_IMPORT_MAX_BYTES,
      timeoutMs: config.OUTBOUND_TIMEOUT_MS,
      policy: { allowHosts: config.OUTBOUND_ALLOW_HOSTS },
    },
    new ConflictTracker(config.CONFLICT_WINDOW_SECONDS * 1000),
    new TokenWork({
      size: config.TOKEN_WORKERS,
      idleMs: config.TOKEN_WORKER_IDLE_MS,
      maxMemoryMb: config.TOKEN_WORKER_MAX_MEMORY_MB,
      inlineBytes: config.TOKEN_WORKER_INLINE_BYTES,
      inlineTokens: config.TOKEN_WORKER_INLINE_TOKENS,
    }),
  );
  const figma = createFigma(config, jwtSecret, { db, designSystems, tokens: designTokens });
  const ai = new AiService({
    db,
    provider: aiProvider(config),
    jobs,
    components,
    versions,
    designSystems,
    documents,
    authenticator,
    limiter,
    figma,
    settings: { dailyQuota: config.AI_DAILY_QUOTA, timeoutMs: config.AI_TIMEOUT_MS },
  });
  return {
    settings: { accessTokenTtlSeconds: config.ACCESS_TOKEN_TTL_SECONDS },
    events,
    limiter,
    auth,
    apiKeys,
    authenticator,
    jobs,
    ai,
    publish: new PublishService({
      db,
      events,
      jobs,
      designSystems,
      documents,
      materialiser,
      versions,
      store,
      box: new SecretBox(jwtSecret, 'registry-tokens'),
      authenticator,
      policy: { allowHosts: config.OUTBOUND_ALLOW_HOSTS },
    }),
    github: new GithubSignIn(db),
    oidc: new OidcSignIn(db, config.oidcProviders, limiter, {
      timeoutMs: config.OUTBOUND_TIMEOUT_MS,
      policy: { allowHosts: config.OUTBOUND_ALLOW_HOSTS },
      startsPerIp: config.LOGIN_LIMIT_PER_IP,
      windowSeconds: config.LOGIN_LIMIT_WINDOW_SECONDS,
    }),
    users: new UserService(db),
    teams: new TeamService(db, events, sessions),
    members: new MemberService(db, events, sessions),
    invitations: new InvitationService(db, events, notifications, sessions),
    documents,
    materialiser,
    designSystems,
    components,
    exports,
    privacy: new PrivacyService(db, events, exports, sessions),
    activity: new ActivityService(db, activityLog),
    tokens: designTokens,
    figma,
    presence,
    collaboration: new CollaborationService(designSystems, presence, locks, events),
    comments,
    reactions: new ReactionService(db, events, comments),
    branches,
    branchSettings,
    mergeRequests: new MergeRequestService({
      db,
      events,
      documents,
      materialiser,
      branches,
      settings: branchSettings,
      comments,
    }),
    notifications,
    ...email,
    webhooks,
    githubSync: createGithubSync(config, jwtSecret, {
      db,
      events,
      jobs,
      designSystems,
      documents,
      materialiser,
      authenticator,
      branches,
    }),
    queue,
    typing: new TypingService(realtime, config.TYPING_TTL_SECONDS * 1000),
    locks,
    connections: new ConnectionLimiter(realtime, config.MAX_CONNECTIONS_PER_USER, config.PRESENCE_TTL_SECONDS * 1000),
    /** Called when Redis came back without its data: each node puts back the presence and locks it holds. */
    onRealtimeReset: (listener: () => void) => realtime.onReset(listener),
    assets: new AssetService(db, store, events, designSystems, config.ASSET_MAX_BYTES, new AssetUrlSigner(jwtSecret)),
  };
}

export type Services = ReturnType<typeof createServices>;
