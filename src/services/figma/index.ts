// Builds the Figma service from the configuration: its API client pointed at FIGMA_API_URL through
// the outbound guard, tokens sealed under their own key.
import type { Config } from '../../config/config.ts';
import { SecretBox } from '../../utils/secret-box.ts';
import { FigmaCredentials } from './credentials.service.ts';
import { FigmaService, type FigmaServiceDeps } from './figma.service.ts';

/** The service and its per-user credentials. */
export function createFigma(
  config: Config,
  jwtSecret: string,
  deps: Omit<FigmaServiceDeps, 'credentials'>,
): FigmaService {
  const api = {
    baseUrl: config.FIGMA_API_URL,
    policy: { allowHosts: config.OUTBOUND_ALLOW_HOSTS },
    timeoutMs: config.OUTBOUND_TIMEOUT_MS,
    // Node trees of large frames run to megabytes: the token import's limit bounds them too.
    maxBytes: config.TOKEN_IMPORT_MAX_BYTES,
  };
  return new FigmaService({
    ...deps,
    credentials: new FigmaCredentials(deps.db, new SecretBox(jwtSecret, 'figma-tokens'), api),
  });
}
