// Sign-in with OpenID Connect providers (Google, an enterprise's SSO): begins a sign-in (state,
// nonce, PKCE verifier to keep until the callback) and completes it into a user. Transport-free:
// the router keeps the pending sign-in in a sealed cookie and hands the browser a one-time code.
import type { OidcProviderConfig } from '../../config/oidc.ts';
import type { Db, User } from '../../models/db.ts';
import { randomToken, safeEqual } from '../../utils/crypto.ts';
import { AppError } from '../../utils/errors.ts';
import type { OutboundPolicy } from '../../utils/net-guard.ts';
import type { RateLimiter } from '../rate-limit.service.ts';
import { userForIdentity } from './oidc/accounts.ts';
import { OidcClient, type PendingSignIn } from './oidc/client.ts';

export type { PendingSignIn } from './oidc/client.ts';

/** How long a browser may take at the provider before its sign-in state expires. */
export const PENDING_TTL_MS = 10 * 60_000;

export interface OidcSettings {
  /** Cap on each request to a provider. */
  timeoutMs: number;
  /** The outbound guard's policy: providers on private addresses must be listed (OUTBOUND_ALLOW_HOSTS). */
  policy: OutboundPolicy;
  /** Sign-ins one address may start per window: each may make a request to the provider. */
  startsPerIp: number;
  windowSeconds: number;
}

/** What the provider's redirect back carries. */
export interface CallbackParams {
  code?: string | undefined;
  state?: string | undefined;
  /** Set instead of `code` when the provider refused (e.g. `access_denied`). */
  error?: string | undefined;
  /** The issuer that answered (RFC 9207); when present it must be this provider's. */
  iss?: string | undefined;
}

/** The configured providers and the sign-ins through them. */
export class OidcSignIn {
  private readonly db: Db;
  private readonly clients: Map<string, OidcClient>;
  private readonly limiter: RateLimiter;
  private readonly settings: OidcSettings;

  constructor(db: Db, providers: readonly OidcProviderConfig[], limiter: RateLimiter, settings: OidcSettings) {
    this.db = db;
    this.limiter = limiter;
    this.settings = settings;
    this.clients = new Map(
      providers.map((p) => [p.name, new OidcClient(p, { policy: settings.policy, timeoutMs: settings.timeoutMs })]),
    );
  }

  /** The providers one may sign in with, for a sign-in page. */
  providers(): { name: string; label: string }[] {
    return [...this.clients.values()].map(({ config }) => ({ name: config.name, label: config.label }));
  }

  /** Starts a sign-in: where to send the browser, and what to keep until it comes back. */
  async begin(
    provider: string,
    redirectUri: string,
    redirect: string | undefined,
    ip: string,
  ): Promise<{ url: URL; pending: PendingSignIn }> {
    const client = this.client(provider);
    const { startsPerIp: max, windowSeconds } = this.settings;
    await this.limiter.consume({ key: `oidc:start:ip:${ip}`, max, windowSeconds });
    const pending: PendingSignIn = {
      provider,
      state: randomToken(24),
      nonce: randomToken(24),
      verifier: randomToken(48),
      redirect,
      expiresAt: Date.now() + PENDING_TTL_MS,
    };
    return { url: await client.authorizationUrl(pending, redirectUri), pending };
  }

  /**
   * Completes a sign-in from the provider's callback and the pending sign-in this browser kept
   * (undefined when it kept none, or it could not be read). Throws a precise `oidc_*` code.
   */
  async complete(
    provider: string,
    pending: PendingSignIn | undefined,
    params: CallbackParams,
    redirectUri: string,
  ): Promise<User> {
    const client = this.client(provider);
    if (
      !pending ||
      pending.provider !== provider ||
      pending.expiresAt <= Date.now() ||
      !params.state ||
      !safeEqual(params.state, pending.state)
    ) {
      throw new AppError('oidc_state_invalid');
    }
    // A mix-up attack sends one provider's answer to another's callback: RFC 9207 names the sender.
    if (params.iss !== undefined && params.iss !== client.config.issuer) {
      throw new AppError('oidc_state_invalid', 'The answer came from another issuer than this sign-in went to');
    }
    if (params.error || !params.code) throw new AppError('oidc_denied');
    const identity = await client.identify(params.code, pending, redirectUri);
    const allowed = client.config.allowedDomains;
    // The domain of a verified email only: an unverified address is anyone's claim.
    const domain = identity.emailVerified ? identity.email?.split('@').pop()?.toLowerCase() : undefined;
    if (allowed.length && !(domain && allowed.includes(domain)))
      throw new AppError(
        'oidc_domain_not_allowed',
        `Sign-in through ${client.config.label} is for ${allowed.join(', ')} accounts`,
      );
    return userForIdentity(this.db, identity);
  }

  /** Throws `not_configured` with no providers at all, `oidc_provider_unknown` for another name. */
  private client(provider: string): OidcClient {
    if (this.clients.size === 0) {
      throw new AppError('not_configured', 'OpenID Connect sign-in is not configured (OIDC_PROVIDERS)');
    }
    const client = this.clients.get(provider);
    if (!client) throw new AppError('oidc_provider_unknown');
    return client;
  }
}
