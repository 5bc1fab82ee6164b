// The authorisation code flow with one provider: the authorisation URL (PKCE S256, state, nonce),
// the code exchange at the token endpoint, ID token validation and, when the ID token leaves the
// email out, the UserInfo endpoint.
import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { OidcProviderConfig } from '../../../config/oidc.ts';
import { AppError } from '../../../utils/errors.ts';
import { verifyIdToken } from './id-token.ts';
import { ProviderDirectory, type ProviderMetadata } from './metadata.ts';
import { fetchJson, type ProviderOutbound, providerUnavailable } from './provider-http.ts';

/** Who the provider says signed in. */
export interface OidcIdentity {
  provider: string;
  issuer: string;
  subject: string;
  email: string | null;
  emailVerified: boolean;
  name: string | null;
  username: string | null;
  picture: string | null;
}

/** What a sign-in keeps between the redirect to the provider and its callback. */
export interface PendingSignIn {
  provider: string;
  state: string;
  nonce: string;
  /** The PKCE code verifier; only its S256 challenge left this server. */
  verifier: string;
  redirect?: string | undefined;
  expiresAt: number;
}

const TokenAnswer = z.object({ id_token: z.string().min(1), access_token: z.string().optional() });
const TokenError = z.object({ error: z.string() });
const UserInfo = z.looseObject({
  sub: z.string(),
  email: z.string().max(255).optional(),
  email_verified: z.union([z.boolean(), z.enum(['true', 'false']).transform((v) => v === 'true')]).optional(),
  name: z.string().optional(),
  preferred_username: z.string().optional(),
  picture: z.string().optional(),
});

/** The profile claims sign-in reads, from the ID token or UserInfo. */
interface Profile {
  email?: string | undefined;
  email_verified?: boolean | undefined;
  name?: string | undefined;
  preferred_username?: string | undefined;
  picture?: string | undefined;
}

/** The S256 challenge of a PKCE verifier (RFC 7636, section 4.2). */
export const pkceChallenge = (verifier: string) => createHash('sha256').update(verifier).digest('base64url');

/** Google documents ID tokens whose `iss` lacks the scheme; accepted for its issuer only. */
const issuerAliases = (issuer: string) =>
  issuer === 'https://accounts.google.com' ? [issuer, 'accounts.google.com'] : [issuer];

/** An OAuth error code is a short token from a fixed list (RFC 6749 5.2); anything else is not repeated. */
const safeCode = (code: string) => (/^[\w.-]{1,64}$/.test(code) ? code : 'error');

/** One configured provider, spoken to over HTTP. */
export class OidcClient {
  readonly config: OidcProviderConfig;
  private readonly directory: ProviderDirectory;
  private readonly outbound: ProviderOutbound;

  constructor(config: OidcProviderConfig, outbound: ProviderOutbound) {
    this.config = config;
    this.outbound = outbound;
    this.directory = new ProviderDirectory(config, outbound);
  }

  /** Where to send the browser; fetching discovery first, so an unreachable provider fails here. */
  async authorizationUrl(pending: PendingSignIn, redirectUri: string): Promise<URL> {
    const url = new URL((await this.directory.metadata()).authorization_endpoint);
    const params = {
      response_type: 'code',
      client_id: this.config.clientId,
      redirect_uri: redirectUri,
      scope: this.config.scopes.join(' '),
      state: pending.state,
      nonce: pending.nonce,
      code_challenge: pkceChallenge(pending.verifier),
      code_challenge_method: 'S256',
    };
    for (const [key, value] of Object.entries(params)) url.searchParams.set(key, value);
    return url;
  }

  /** Exchanges the code, verifies the ID token and returns the identity. */
  async identify(code: string, pending: PendingSignIn, redirectUri: string): Promise<OidcIdentity> {
    const metadata = await this.directory.metadata();
    const tokens = await this.exchange(metadata, code, pending.verifier, redirectUri);
    const claims = await verifyIdToken(tokens.id_token, {
      directory: this.directory,
      issuers: issuerAliases(metadata.issuer),
      clientId: this.config.clientId,
      nonce: pending.nonce,
      supportedAlgs: metadata.id_token_signing_alg_values_supported,
    });
    let profile: Profile = claims;
    if (claims.email === undefined && metadata.userinfo_endpoint && tokens.access_token) {
      const info = await this.userInfo(metadata.userinfo_endpoint, tokens.access_token);
      // Core 5.3.2: a UserInfo answer for another subject must not be used.
      if (info.sub !== claims.sub) throw new AppError('oidc_token_invalid', 'UserInfo answered for another subject');
      profile = info;
    }
    return {
      provider: this.config.name,
      issuer: this.config.issuer,
      subject: claims.sub,
      email: profile.email ?? null,
      emailVerified: profile.email_verified === true,
      name: profile.name ?? null,
      username: profile.preferred_username ?? null,
      picture: profile.picture ?? null,
    };
  }

  private async exchange(metadata: ProviderMetadata, code: string, verifier: string, redirectUri: string) {
    const { clientId, clientSecret, name } = this.config;
    const form = new URLSearchParams({ grant_type: 'authorization_code', code, redirect_uri: redirectUri });
    form.set('code_verifier', verifier);
    const headers: Record<string, string> = { 'Content-Type': 'application/x-www-form-urlencoded' };
    // client_secret_basic is the default (Core 9); the credentials are form-encoded first (RFC 6749 2.3.1).
    const methods = metadata.token_endpoint_auth_methods_supported ?? ['client_secret_basic'];
    if (methods.includes('client_secret_basic') || !methods.includes('client_secret_post')) {
      const pair = `${encodeURIComponent(clientId)}:${encodeURIComponent(clientSecret)}`;
      headers.Authorization = `Basic ${Buffer.from(pair).toString('base64')}`;
    } else {
      form.set('client_id', clientId);
      form.set('client_secret', clientSecret);
    }
    const { status, body } = await fetchJson(name, metadata.token_endpoint, this.outbound, {
      method: 'POST',
      headers,
      body: form.toString(),
    });
    if (status === 200) {
      const answer = TokenAnswer.safeParse(body);
      if (answer.success) return answer.data;
      throw new AppError('oidc_token_invalid', 'The identity provider sent no ID token');
    }
    const error = TokenError.safeParse(body);
    if (!error.success) throw providerUnavailable(name, `answered ${status} to the code exchange`);
    throw new AppError(
      'oidc_code_rejected',
      `The identity provider refused the code exchange (${safeCode(error.data.error)})`,
    );
  }

  private async userInfo(endpoint: string, accessToken: string) {
    const { status, body } = await fetchJson(this.config.name, endpoint, this.outbound, {
      headers: { Authorization: `Bearer ${accessToken}` },
    });
    const info = UserInfo.safeParse(body);
    if (status !== 200 || !info.success) throw providerUnavailable(this.config.name, 'sent no usable UserInfo');
    return info.data;
  }
}
