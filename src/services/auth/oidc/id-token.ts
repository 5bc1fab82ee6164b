// ID token validation (OpenID Connect Core 1.0, section 3.1.3.7): an asymmetric signature by a key
// the provider publishes, then `iss`, `aud` (and `azp`), `exp` and the `nonce` of this sign-in.
import jwt from 'jsonwebtoken';
import { z } from 'zod';
import { AppError } from '../../../utils/errors.ts';
import { safeEqual } from '../../../utils/crypto.ts';
import type { ProviderDirectory } from './metadata.ts';

/** Algorithms accepted: public-key signatures only, never `none` nor an HMAC keyed by the client secret. */
const ASYMMETRIC = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512'] as const;
type Algorithm = (typeof ASYMMETRIC)[number];

const Claims = z.looseObject({
  iss: z.string(),
  sub: z.string().min(1).max(255),
  aud: z.union([z.string(), z.array(z.string())]),
  exp: z.number(),
  iat: z.number(),
  nonce: z.string().optional(),
  azp: z.string().optional(),
  email: z.string().max(255).optional(),
  // Some providers send the boolean as a string.
  email_verified: z.union([z.boolean(), z.enum(['true', 'false']).transform((v) => v === 'true')]).optional(),
  name: z.string().optional(),
  preferred_username: z.string().optional(),
  picture: z.string().optional(),
});

/** The verified claims of an ID token. */
export type IdTokenClaims = z.output<typeof Claims>;

export interface IdTokenCheck {
  directory: ProviderDirectory;
  /** Issuers accepted in `iss` (the discovery document's, plus a documented alias such as Google's). */
  issuers: string[];
  clientId: string;
  /** The nonce this sign-in sent with the authorisation request. */
  nonce: string;
  /** The provider's `id_token_signing_alg_values_supported`, when it says. */
  supportedAlgs?: string[] | undefined;
}

const invalid = (why: string) => new AppError('oidc_token_invalid', `The ID token could not be verified: ${why}`);

function reason(err: unknown): string {
  if (err instanceof jwt.TokenExpiredError) return 'it has expired';
  if (err instanceof jwt.NotBeforeError) return 'it is not valid yet';
  const message = err instanceof Error ? err.message : '';
  if (message.includes('issuer')) return 'it was issued by someone else (iss)';
  if (message.includes('audience')) return 'it was issued for another client (aud)';
  return 'its signature does not match any key the provider publishes';
}

/** Verifies an ID token and returns its claims, or throws `oidc_token_invalid` / `oidc_nonce_mismatch`. */
export async function verifyIdToken(token: string, check: IdTokenCheck): Promise<IdTokenClaims> {
  const decoded = jwt.decode(token, { complete: true });
  if (!decoded || typeof decoded.payload === 'string') throw invalid('it is not a JWT');
  const alg = decoded.header.alg as Algorithm;
  const allowed = ASYMMETRIC.filter((a) => !check.supportedAlgs || check.supportedAlgs.includes(a));
  if (!allowed.includes(alg)) throw invalid(`it is signed with ${String(alg)}, which is not accepted`);
  const keys = (await check.directory.keysFor(decoded.header.kid)).filter((k) => !k.alg || k.alg === alg);
  if (!keys.length) throw invalid('it is signed with a key the provider does not publish');
  let payload: unknown;
  let failure: unknown;
  for (const { key } of keys) {
    try {
      payload = jwt.verify(token, key, {
        algorithms: [alg],
        issuer: check.issuers as [string, ...string[]],
        audience: check.clientId,
        clockTolerance: 60,
      });
      break;
    } catch (err) {
      failure = err;
      // Past the signature, another key would not change the answer.
      if (!(err instanceof jwt.JsonWebTokenError) || err.message !== 'invalid signature') break;
    }
  }
  if (payload === undefined) throw invalid(reason(failure));
  const claims = Claims.safeParse(payload);
  if (!claims.success) throw invalid('it lacks a required claim (sub, aud, exp, iat)');
  const { aud, azp } = claims.data;
  // Core 3.1.3.7 (4, 5): with several audiences, the authorised party must be this client.
  if (Array.isArray(aud) && aud.length > 1 && azp !== check.clientId) throw invalid('azp is not this client');
  if (azp !== undefined && azp !== check.clientId) throw invalid('azp is not this client');
  if (!claims.data.nonce || !safeEqual(claims.data.nonce, check.nonce)) throw new AppError('oidc_nonce_mismatch');
  return claims.data;
}
