// A provider's discovery document and signing keys, fetched on first use and cached. The keys are
// fetched again when a token names a key id the cache does not have: providers rotate keys by
// publishing the new one under a new `kid`.
import { createPublicKey, type JsonWebKey, type KeyObject } from 'node:crypto';
import { z } from 'zod';
import type { OidcProviderConfig } from '../../../config/oidc.ts';
import { fetchDocument, type ProviderOutbound, providerUnavailable } from './provider-http.ts';

const Metadata = z.object({
  issuer: z.string().min(1),
  authorization_endpoint: z.url(),
  token_endpoint: z.url(),
  jwks_uri: z.url(),
  userinfo_endpoint: z.url().optional(),
  id_token_signing_alg_values_supported: z.array(z.string()).optional(),
  token_endpoint_auth_methods_supported: z.array(z.string()).optional(),
});

/** What sign-in needs of a provider's discovery document. */
export type ProviderMetadata = z.output<typeof Metadata>;

const Jwks = z.object({
  keys: z.array(
    z.looseObject({
      kty: z.string(),
      kid: z.string().optional(),
      use: z.string().optional(),
      alg: z.string().optional(),
    }),
  ),
});

/** A signing key of the provider. */
export interface SigningKey {
  kid: string | undefined;
  alg: string | undefined;
  key: KeyObject;
}

const DISCOVERY_TTL_MS = 60 * 60_000;

/** The discovery URL of an issuer (OpenID Connect Discovery 1.0, section 4). */
export const discoveryUrl = (issuer: string) => `${issuer.replace(/\/+$/, '')}/.well-known/openid-configuration`;

function importKeys(jwks: z.output<typeof Jwks>): SigningKey[] {
  const keys: SigningKey[] = [];
  for (const jwk of jwks.keys) {
    if (jwk.use !== undefined && jwk.use !== 'sig') continue;
    try {
      keys.push({ kid: jwk.kid, alg: jwk.alg, key: createPublicKey({ key: jwk as JsonWebKey, format: 'jwk' }) });
    } catch {
      // A key type node cannot use signs nothing we could verify: skipped, as other clients do.
    }
  }
  return keys;
}

/** Discovery and keys of one provider, cached; concurrent callers share one request. */
export class ProviderDirectory {
  private readonly provider: OidcProviderConfig;
  private readonly outbound: ProviderOutbound;
  private metadataCache: { value: Promise<ProviderMetadata>; until: number } | undefined;
  private keysCache: Promise<SigningKey[]> | undefined;

  constructor(provider: OidcProviderConfig, outbound: ProviderOutbound) {
    this.provider = provider;
    this.outbound = outbound;
  }

  /** The discovery document; a failed fetch is not cached, so the next sign-in tries again. */
  metadata(): Promise<ProviderMetadata> {
    const now = Date.now();
    if (this.metadataCache && this.metadataCache.until > now) return this.metadataCache.value;
    const value = this.fetchMetadata();
    this.metadataCache = { value, until: now + DISCOVERY_TTL_MS };
    value.catch(() => {
      if (this.metadataCache?.value === value) this.metadataCache = undefined;
    });
    return value;
  }

  /**
   * The keys that may have signed a token with this `kid` (all signing keys when it has none). On a
   * miss the key set is fetched again once: ID tokens come from the token endpoint itself, so a
   * refetch per unknown kid is bounded by sign-ins, never by what a stranger sends.
   */
  async keysFor(kid: string | undefined): Promise<SigningKey[]> {
    const match = (keys: SigningKey[]) => (kid === undefined ? keys : keys.filter((k) => k.kid === kid));
    const cached = this.keysCache;
    if (cached !== undefined) {
      const found = match(await cached.catch(() => []));
      if (found.length) return found;
      if (this.keysCache === cached) this.keysCache = undefined;
    }
    this.keysCache ??= this.fetchKeys();
    const fresh = this.keysCache;
    fresh.catch(() => {
      if (this.keysCache === fresh) this.keysCache = undefined;
    });
    return match(await fresh);
  }

  private async fetchMetadata(): Promise<ProviderMetadata> {
    const { name, issuer } = this.provider;
    const doc = await fetchDocument(name, discoveryUrl(issuer), Metadata, this.outbound, 'discovery document');
    // Discovery 1.0 section 4.3: the document must name exactly the issuer it was fetched for.
    if (doc.issuer !== issuer) throw providerUnavailable(name, `names issuer ${doc.issuer}, not ${issuer}`);
    return doc;
  }

  private async fetchKeys(): Promise<SigningKey[]> {
    const { jwks_uri } = await this.metadata();
    return importKeys(await fetchDocument(this.provider.name, jwks_uri, Jwks, this.outbound, 'key set (JWKS)'));
  }
}
