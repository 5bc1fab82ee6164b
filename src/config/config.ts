// The only reader of process.env: one zod schema turns the environment into typed, documented config.
// docs/configuration.md and .env.example describe every variable below.
import { createPrivateKey } from 'node:crypto';
import { availableParallelism } from 'node:os';
import { z } from 'zod';
import { parseOidcProviders, type OidcProviderConfig } from './oidc.ts';

const bool = z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1');
const list = z.string().transform((v) =>
  v
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean),
);
const int = (min: number, max: number) => z.coerce.number().int().min(min).max(max);
const isPrivateKey = (pem: string): boolean => {
  try {
    return createPrivateKey(pem).asymmetricKeyType === 'rsa';
  } catch {
    return false;
  }
};

export const ConfigSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  ENSEMBLE_ROLE: z.enum(['web', 'worker', 'all']).default('all'),
  HOST: z.string().min(1).default('0.0.0.0'),
  PORT: int(0, 65535).default(3000),
  PUBLIC_URL: z.url().optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),

  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgresql:// URL')
    .optional(),
  DATABASE_POOL_SIZE: int(1, 200).default(10),
  DATA_DIR: z.string().min(1).default('./data'),
  EMBEDDED_PG_PORT: int(1, 65535).default(54329),
  REDIS_URL: z
    .string()
    .regex(/^rediss?:\/\//, 'must be a redis:// URL')
    .optional(),
  REDIS_KEY_PREFIX: z.string().max(64).default('ensemble:'),

  JWT_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  JWT_ISSUER: z.string().min(1).default('ensemble'),
  JWT_AUDIENCE: z.string().min(1).default('ensemble-api'),
  ACCESS_TOKEN_TTL_SECONDS: int(60, 86_400).default(900),
  REFRESH_TOKEN_TTL_DAYS: int(1, 365).default(30),
  REFRESH_REUSE_GRACE_SECONDS: int(0, 60).default(5),
  /** How long a session's liveness and roles are cached per node (invalidated cluster-wide on change); 0 off. */
  SESSION_CACHE_MS: int(0, 60_000).default(2000),
  PASSWORD_HASH_MEMORY_KIB: int(1024, 1_048_576).default(19_456),

  CORS_ORIGINS: list.default([]),
  BODY_LIMIT_BYTES: int(1024, 50 * 1024 * 1024).default(1024 * 1024),
  LOGIN_LIMIT_PER_IP: int(1, 100_000).default(20),
  LOGIN_LIMIT_PER_EMAIL: int(1, 100_000).default(10),
  LOGIN_LIMIT_WINDOW_SECONDS: int(1, 86_400).default(900),
  TRUST_PROXY: bool.default(false),

  S3_ENDPOINT: z.url().optional(),
  S3_ACCESS_KEY: z.string().optional(),
  S3_SECRET_KEY: z.string().optional(),
  S3_BUCKET: z.string().min(3).max(63).default('ensemble'),
  S3_REGION: z.string().default('us-east-1'),
  ASSET_MAX_BYTES: int(1, 1024 * 1024 * 1024).default(10 * 1024 * 1024),

  TOKEN_IMPORT_MAX_BYTES: int(1024, 100 * 1024 * 1024).default(10 * 1024 * 1024),
  /** Worker threads for token imports and exports (0 runs them on the event loop); default: one per spare core, at most 2. */
  TOKEN_WORKERS: int(0, 32).default(Math.min(2, Math.max(1, availableParallelism() - 1))),
  TOKEN_WORKER_IDLE_MS: int(1000, 86_400_000).default(60_000),
  TOKEN_WORKER_MAX_MEMORY_MB: int(64, 65_536).default(2048),
  /** Imports smaller than this many bytes, and exports of fewer tokens, run inline (docs/benchmarks.md). */
  TOKEN_WORKER_INLINE_BYTES: int(0, 100 * 1024 * 1024).default(16 * 1024),
  TOKEN_WORKER_INLINE_TOKENS: int(0, 1_000_000).default(100),
  OUTBOUND_TIMEOUT_MS: int(100, 120_000).default(10_000),
  /** Hosts outbound requests may reach even on private addresses (development and tests only). */
  OUTBOUND_ALLOW_HOSTS: list.default([]),

  PRESENCE_TTL_SECONDS: int(2, 3600).default(30),
  TYPING_TTL_SECONDS: int(1, 120).default(6),
  LOCK_TTL_SECONDS: int(2, 3600).default(30),
  MAX_CONNECTIONS_PER_USER: int(1, 100_000).default(20),
  SOCKET_RATE_LIMIT_PER_SECOND: int(1, 100_000).default(60),
  SOCKET_CURSOR_RATE_PER_SECOND: int(1, 100_000).default(120),
  SOCKET_ABUSE_DISCONNECT_AFTER: int(1, 100_000).default(50),
  SOCKET_PING_INTERVAL_MS: int(1000, 600_000).default(10_000),
  SOCKET_PING_TIMEOUT_MS: int(1000, 600_000).default(10_000),
  SOCKET_MAX_BUFFERED_BYTES: int(64 * 1024, 1024 * 1024 * 1024).default(8 * 1024 * 1024),
  SHUTDOWN_DRAIN_MS: int(0, 600_000).default(5000),
  SOCKET_DIRECT_FRAMES: bool.default(true),
  /**
   * How long accepted updates may wait to be relayed together (0: right after the socket reads that
   * brought them). Trades fan-out latency for fewer writes per connection (docs/benchmarks.md).
   */
  RELAY_COALESCE_MS: int(0, 100).default(0),
  CURSOR_TICK_MS: int(10, 5000).default(50),
  CONFLICT_WINDOW_SECONDS: int(1, 3600).default(30),
  COMMENT_RATE_PER_MINUTE: int(1, 100_000).default(30),
  WEBHOOK_TIMEOUT_MS: int(100, 60_000).default(10_000),
  WEBHOOK_MAX_ATTEMPTS: int(1, 50).default(6),
  WEBHOOK_RETRY_BASE_MS: int(10, 3_600_000).default(30_000),
  WEBHOOK_DISABLE_AFTER: int(1, 1000).default(5),
  /** How long a team's active webhooks are cached per node (invalidated cluster-wide on change); 0 off. */
  WEBHOOK_CACHE_MS: int(0, 3_600_000).default(30_000),
  JOB_LOCK_MS: int(1000, 600_000).default(30_000),
  /** smtp:// or smtps:// URL of the mail relay (credentials in it); unset, no email is queued or sent. */
  SMTP_URL: z
    .string()
    .regex(/^smtps?:\/\//, 'must be an smtp:// or smtps:// URL')
    .optional(),
  EMAIL_FROM: z.string().min(3).optional(),
  /** How long a digest waits after the first unread mention or reply of a thread before it is sent. */
  EMAIL_DIGEST_DELAY_MS: int(0, 7 * 86_400_000).default(5 * 60_000),
  EMAIL_MAX_ATTEMPTS: int(1, 50).default(8),
  EMAIL_RETRY_BASE_MS: int(10, 3_600_000).default(30_000),
  AI_PROVIDER: z.enum(['template', 'openai', 'anthropic']).default('template'),
  AI_BASE_URL: z.url().optional(),
  AI_API_KEY: z.string().optional(),
  AI_MODEL: z.string().min(1).optional(),
  AI_TIMEOUT_MS: int(100, 600_000).default(60_000),
  AI_DAILY_QUOTA: int(1, 1_000_000).default(100),

  MAX_DOC_UPDATE_BYTES: int(1024, 50 * 1024 * 1024).default(2 * 1024 * 1024),
  DOC_COMPACT_AFTER_UPDATES: int(1, 1_000_000).default(500),
  /** How long an update may wait for others to share its PostgreSQL commit (group commit). */
  DOC_COMMIT_WINDOW_MS: int(0, 100).default(20),
  DOC_IDLE_UNLOAD_SECONDS: int(1, 86_400).default(300),
  MATERIALISE_DEBOUNCE_MS: int(0, 600_000).default(5000),

  GITHUB_CLIENT_ID: z.string().optional(),
  GITHUB_CLIENT_SECRET: z.string().optional(),
  GITHUB_AUTHORIZE_URL: z.url().default('https://github.com/login/oauth/authorize'),
  GITHUB_TOKEN_URL: z.url().default('https://github.com/login/oauth/access_token'),
  GITHUB_API_URL: z.url().default('https://api.github.com'),
  /** A GitHub App repositories can be connected through instead of a token (docs/github.md). */
  GITHUB_APP_ID: z.string().regex(/^\d+$/, 'the numeric id of a GitHub App').optional(),
  /** The App's private key, PEM (newlines may be written as `\n`). */
  GITHUB_APP_PRIVATE_KEY: z
    .string()
    .transform((v) => v.replace(/\\n/g, '\n'))
    .refine(isPrivateKey, 'a PEM private key (-----BEGIN … PRIVATE KEY-----)')
    .optional(),
  /** Figma's REST API (tests point it at a stand-in). */
  FIGMA_API_URL: z.url().default('https://api.figma.com'),
  OAUTH_SUCCESS_REDIRECT: z.string().default('/auth/complete'),
  AUTH_REDIRECT_ORIGINS: list.default([]),
  /** OpenID Connect providers by name (`google,acme`); each reads `OIDC_<NAME>_*` (src/config/oidc.ts). */
  OIDC_PROVIDERS: list.default([]),
  METRICS_TOKEN: z.string().min(16).optional(),

  /** OTLP/HTTP base URL (spans go to <url>/v1/traces); unset, tracing is off and its SDK is never loaded. */
  OTEL_EXPORTER_OTLP_ENDPOINT: z.url().optional(),
  OTEL_SERVICE_NAME: z.string().min(1).default('ensemble'),
  /** Share of new traces kept (0 to 1); a request arriving with a sampled `traceparent` is always kept. */
  OTEL_TRACES_SAMPLER_ARG: z.coerce.number().min(0).max(1).default(1),
});

/** The parsed environment, plus what is read from variables named by others (OIDC providers). */
export type Config = z.infer<typeof ConfigSchema> & { oidcProviders: OidcProviderConfig[] };

/** A configuration value that stops startup; the message names the variable. */
export class ConfigError extends Error {
  readonly problems: string[];

  constructor(problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
    this.problems = problems;
  }
}

/** Parses the environment (process.env by default, plus overrides such as a CLI role) into Config, or throws ConfigError. */
export function loadConfig(
  env: Record<string, string | undefined> = process.env,
  overrides: Record<string, string> = {},
): Config {
  // Empty strings mean "unset", as in most .env tooling.
  const cleaned = Object.fromEntries(
    Object.entries({ ...env, ...overrides }).filter(([, v]) => v !== undefined && v !== ''),
  );
  const parsed = ConfigSchema.safeParse(cleaned);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`));
  }
  const oidc = parseOidcProviders(cleaned, parsed.data.OIDC_PROVIDERS);
  if (oidc.problems.length) throw new ConfigError(oidc.problems);
  const config: Config = { ...parsed.data, oidcProviders: oidc.providers };
  if (config.S3_ENDPOINT && !(config.S3_ACCESS_KEY && config.S3_SECRET_KEY)) {
    throw new ConfigError(['S3_ACCESS_KEY / S3_SECRET_KEY: required when S3_ENDPOINT is set']);
  }
  if (config.AI_PROVIDER !== 'template' && !config.AI_BASE_URL) {
    throw new ConfigError([`AI_BASE_URL: required when AI_PROVIDER=${config.AI_PROVIDER}`]);
  }
  if (Boolean(config.GITHUB_APP_ID) !== Boolean(config.GITHUB_APP_PRIVATE_KEY)) {
    throw new ConfigError(['GITHUB_APP_ID / GITHUB_APP_PRIVATE_KEY: set both to use a GitHub App, or neither']);
  }
  if (config.SMTP_URL && !config.EMAIL_FROM) {
    throw new ConfigError(['EMAIL_FROM: required when SMTP_URL is set']);
  }
  if (config.NODE_ENV === 'production' && !config.JWT_SECRET) {
    throw new ConfigError(['JWT_SECRET: required when NODE_ENV=production']);
  }
  return config;
}
