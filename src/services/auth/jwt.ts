// Access tokens: HS256 JWTs with the algorithm pinned and issuer, audience and expiry always checked.
import { createSecretKey, type KeyObject } from 'node:crypto';
import jwt from 'jsonwebtoken';
import { AppError } from '../../utils/errors.ts';

export interface AccessClaims {
  /** User id. */
  sub: string;
  /** Session (refresh-token family) id, so logout ends the access token's session too. */
  sid: string;
}

/** The claims of a verified token, with when it expires (ms since the epoch). */
export interface VerifiedClaims extends AccessClaims {
  expiresAt: number;
}

/** How many verified tokens are remembered (a few KB each at most; the oldest go first). */
const REMEMBERED = 1024;

export interface JwtSettings {
  secret: string;
  issuer: string;
  audience: string;
  ttlSeconds: number;
}

/** Signs and verifies access tokens with fixed settings. */
export class AccessTokens {
  private readonly settings: JwtSettings;
  /**
   * The secret as a key object, made once: given a string, jsonwebtoken first tries to read it as a
   * public key on every call and only then as a secret (a thrown exception per request).
   */
  private readonly key: KeyObject;
  /**
   * Tokens that verified, by their exact text: checking the signature and claims again costs more
   * than the rest of authenticating a request. Only valid tokens get in (a forged one is another
   * string and is verified in full); the expiry is checked on every use.
   */
  private readonly verified = new Map<string, VerifiedClaims>();

  constructor(settings: JwtSettings) {
    this.settings = settings;
    this.key = createSecretKey(Buffer.from(settings.secret));
  }

  /** Issues a token for the user and session. */
  sign(claims: AccessClaims): string {
    const { issuer, audience, ttlSeconds } = this.settings;
    return jwt.sign({ sid: claims.sid, typ: 'access' }, this.key, {
      algorithm: 'HS256',
      subject: claims.sub,
      issuer,
      audience,
      expiresIn: ttlSeconds,
    });
  }

  /** Returns the claims of a valid token, or throws `invalid_token`. */
  verify(token: string): VerifiedClaims {
    const known = this.verified.get(token);
    if (known) {
      // jsonwebtoken's rule: expired from the second `exp` on.
      if (Date.now() < known.expiresAt) return { ...known };
      this.verified.delete(token);
      throw new AppError('invalid_token');
    }
    const claims = this.verifyInFull(token);
    if (this.verified.size >= REMEMBERED) this.verified.delete(this.verified.keys().next().value as string);
    this.verified.set(token, claims);
    return { ...claims };
  }

  private verifyInFull(token: string): VerifiedClaims {
    const { issuer, audience } = this.settings;
    try {
      const payload = jwt.verify(token, this.key, { algorithms: ['HS256'], issuer, audience });
      if (
        typeof payload === 'string' ||
        payload.typ !== 'access' ||
        typeof payload.sub !== 'string' ||
        typeof payload.sid !== 'string' ||
        typeof payload.exp !== 'number'
      ) {
        throw new Error('wrong token type');
      }
      return { sub: payload.sub, sid: payload.sid, expiresAt: payload.exp * 1000 };
    } catch {
      throw new AppError('invalid_token');
    }
  }
}
