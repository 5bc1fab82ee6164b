// Builds the GitHub sync service from the configuration and the services it writes through.
import type { Config } from '../../config/config.ts';
import { createPrivateKey } from 'node:crypto';
import { SecretBox } from '../../utils/secret-box.ts';
import { GithubAppAuth } from './github-app.ts';
import { GithubSyncService, type GithubSyncDeps } from './github.service.ts';

/** The longest rate-limit wait a request sits out before its job or delivery fails with the time it lifts. */
const MAX_RATE_LIMIT_WAIT_MS = 60_000;

/** The service, its API client pointed at GITHUB_API_URL through the outbound guard, and the GitHub App when configured. */
export function createGithubSync(
  config: Config,
  jwtSecret: string,
  deps: Omit<GithubSyncDeps, 'box' | 'api' | 'app'>,
): GithubSyncService {
  const api = {
    baseUrl: config.GITHUB_API_URL,
    policy: { allowHosts: config.OUTBOUND_ALLOW_HOSTS },
    timeoutMs: config.OUTBOUND_TIMEOUT_MS,
    maxBytes: config.TOKEN_IMPORT_MAX_BYTES,
    maxRateLimitWaitMs: MAX_RATE_LIMIT_WAIT_MS,
  };
  const app =
    config.GITHUB_APP_ID && config.GITHUB_APP_PRIVATE_KEY
      ? new GithubAppAuth(api, {
          appId: config.GITHUB_APP_ID,
          privateKey: createPrivateKey(config.GITHUB_APP_PRIVATE_KEY),
        })
      : undefined;
  return new GithubSyncService({ ...deps, box: new SecretBox(jwtSecret, 'github-tokens'), api, app });
}
