// A local OpenID Connect provider on 127.0.0.1 speaking the wire format a real one does: the
// discovery document, a JWKS (RSA keys made at start; rotation publishes a new kid), /authorize
// (approves at once and redirects back with code + state), /token (client secret and PKCE verifier
// checked against the S256 challenge; an RS256 ID token carrying the nonce) and /userinfo.
import { createHash, generateKeyPairSync, type KeyObject, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import jwt from 'jsonwebtoken';

/** The account the stand-in signs in as. */
export interface OidcUser {
  sub: string;
  email?: string;
  email_verified?: boolean | 'true' | 'false';
  name?: string;
  picture?: string;
  preferred_username?: string;
}

/** Ways the next token answer departs from the protocol, to test that the client notices. */
export interface Misbehaviour {
  /** Sign with a key the JWKS does not publish (under this kid). */
  rogueKid?: string;
  /** Sign with a key the JWKS does not publish, under the real key's kid. */
  forgeCurrentKid?: boolean;
  /** Put this nonce in the ID token instead of the one sent to /authorize. */
  nonce?: string;
  /** Answer with this ID token (e.g. one issued for an earlier sign-in). */
  idToken?: string;
  /** Seconds from now the ID token expires (negative: already expired). */
  expiresIn?: number;
  /** `aud` of the ID token. */
  audience?: string;
  /** Leave the email claims out of the ID token (they are served by /userinfo). */
  emailOnlyInUserInfo?: boolean;
  /** Answer the token request with this status, as a provider in trouble does. */
  tokenStatus?: number;
}

export interface OidcStandIn {
  /** The issuer (with a path, as many enterprise providers have). */
  issuer: string;
  signInAs(user: OidcUser): void;
  /** The next token answer misbehaves so. */
  misbehaveOnce(how: Misbehaviour): void;
  /** Publishes a new signing key (new kid) and retires the old one from the JWKS. */
  rotateKey(): void;
  /** ID tokens issued, newest last. */
  issued: string[];
  /** Requests seen, for asserting the client spoke the protocol. */
  seen: { method: string; path: string; query: URLSearchParams; auth?: string | undefined; form?: URLSearchParams }[];
  close(): Promise<void>;
}

interface Grant {
  user: OidcUser;
  nonce: string;
  challenge: string;
  redirectUri: string;
}

interface SigningKey {
  kid: string;
  privateKey: KeyObject;
  publicKey: KeyObject;
}

const newKey = (kid: string): SigningKey => ({ kid, ...generateKeyPairSync('rsa', { modulusLength: 2048 }) });

const readBody = (req: IncomingMessage) =>
  new Promise<string>((resolve) => {
    let data = '';
    req.on('data', (c) => (data += c));
    req.on('end', () => resolve(data));
  });

/** Client credentials from Basic auth (form-encoded, RFC 6749 2.3.1) or the form. */
function clientOf(req: IncomingMessage, form: URLSearchParams): { id: string | null; secret: string | null } {
  const basic = /^Basic (.+)$/i.exec(req.headers.authorization ?? '');
  if (basic?.[1]) {
    const [id = '', secret = ''] = Buffer.from(basic[1], 'base64').toString().split(':');
    return { id: decodeURIComponent(id), secret: decodeURIComponent(secret) };
  }
  return { id: form.get('client_id'), secret: form.get('client_secret') };
}

/** How the stand-in departs from a well-behaved provider for as long as it runs. */
export interface StandInOptions {
  /** The host its discovery document names for the token, UserInfo and JWKS endpoints (its own port). */
  endpointHost?: string;
  /** Bytes of padding in the JWKS answer (a valid, oversized document). */
  jwksPaddingBytes?: number;
}

/** Starts the stand-in on 127.0.0.1. */
export async function startOidcStandIn(
  clientId: string,
  clientSecret: string,
  options: StandInOptions = {},
): Promise<OidcStandIn> {
  let current: OidcUser | null = null;
  let misbehaviour: Misbehaviour = {};
  let generation = 1;
  let key = newKey('key-1');
  const grants = new Map<string, Grant>();
  const accessTokens = new Map<string, OidcUser>();
  const issued: string[] = [];
  const seen: OidcStandIn['seen'] = [];
  let issuer = '';

  const server = createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const body = await readBody(req);
    const form = new URLSearchParams(body);
    seen.push({
      method: req.method ?? '',
      path: url.pathname,
      query: url.searchParams,
      auth: req.headers.authorization,
      form,
    });
    const json = (status: number, value: unknown) => {
      res.writeHead(status, { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' });
      res.end(JSON.stringify(value));
    };
    const path = url.pathname.replace(/^\/tenant-a/, '');
    if (path === '/.well-known/openid-configuration') {
      const endpoints = options.endpointHost ? issuer.replace('127.0.0.1', options.endpointHost) : issuer;
      return json(200, {
        issuer,
        authorization_endpoint: `${issuer}/authorize`,
        token_endpoint: `${endpoints}/token`,
        userinfo_endpoint: `${endpoints}/userinfo`,
        jwks_uri: `${endpoints}/jwks`,
        response_types_supported: ['code'],
        subject_types_supported: ['public'],
        id_token_signing_alg_values_supported: ['RS256'],
        code_challenge_methods_supported: ['S256'],
        authorization_response_iss_parameter_supported: true,
        token_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post'],
        scopes_supported: ['openid', 'email', 'profile'],
      });
    }
    if (path === '/jwks') {
      const jwk = key.publicKey.export({ format: 'jwk' });
      const padding = options.jwksPaddingBytes ? { padding: 'x'.repeat(options.jwksPaddingBytes) } : {};
      return json(200, { keys: [{ ...jwk, kid: key.kid, use: 'sig', alg: 'RS256' }], ...padding });
    }
    if (path === '/authorize') {
      // A real provider shows a consent page; the stand-in approves at once as the chosen user.
      const q = url.searchParams;
      const redirectUri = q.get('redirect_uri');
      if (q.get('client_id') !== clientId || !redirectUri || !current) return json(400, { error: 'invalid_request' });
      const back = new URL(redirectUri);
      back.searchParams.set('state', q.get('state') ?? '');
      back.searchParams.set('iss', issuer);
      if (q.get('response_type') !== 'code' || q.get('code_challenge_method') !== 'S256' || !q.get('code_challenge')) {
        back.searchParams.set('error', 'invalid_request');
      } else if (!q.get('scope')?.split(' ').includes('openid')) {
        back.searchParams.set('error', 'invalid_scope');
      } else {
        const code = randomBytes(12).toString('base64url');
        grants.set(code, {
          user: current,
          nonce: q.get('nonce') ?? '',
          challenge: q.get('code_challenge') ?? '',
          redirectUri,
        });
        back.searchParams.set('code', code);
      }
      res.writeHead(302, { Location: back.toString() });
      return res.end();
    }
    if (path === '/token' && req.method === 'POST') {
      if (misbehaviour.tokenStatus) {
        const status = misbehaviour.tokenStatus;
        misbehaviour = {};
        return json(status, { error: 'temporarily_unavailable' });
      }
      const client = clientOf(req, form);
      if (client.id !== clientId || client.secret !== clientSecret) return json(401, { error: 'invalid_client' });
      const code = form.get('code') ?? '';
      const grant = grants.get(code);
      grants.delete(code); // a code works once, right or wrong
      if (form.get('grant_type') !== 'authorization_code' || !grant || form.get('redirect_uri') !== grant.redirectUri) {
        return json(400, { error: 'invalid_grant', error_description: 'unknown, used or mismatched code' });
      }
      const verifier = form.get('code_verifier') ?? '';
      if (createHash('sha256').update(verifier).digest('base64url') !== grant.challenge) {
        return json(400, { error: 'invalid_grant', error_description: 'PKCE verification failed' });
      }
      const how = misbehaviour;
      misbehaviour = {};
      const now = Math.floor(Date.now() / 1000);
      const { sub, email, email_verified, ...profile } = grant.user;
      const claims = {
        ...profile,
        ...(how.emailOnlyInUserInfo ? {} : { email, email_verified }),
        nonce: how.nonce ?? grant.nonce,
        iat: now,
        exp: now + (how.expiresIn ?? 300),
      };
      const signer = how.rogueKid || how.forgeCurrentKid ? newKey(how.rogueKid ?? key.kid) : key;
      const idToken =
        how.idToken ??
        jwt.sign(claims, signer.privateKey, {
          algorithm: 'RS256',
          keyid: signer.kid,
          issuer,
          subject: sub,
          audience: how.audience ?? clientId,
        });
      issued.push(idToken);
      const accessToken = randomBytes(16).toString('base64url');
      accessTokens.set(accessToken, grant.user);
      return json(200, { access_token: accessToken, token_type: 'Bearer', expires_in: 3600, id_token: idToken });
    }
    if (path === '/userinfo') {
      const user = accessTokens.get((req.headers.authorization ?? '').replace(/^Bearer /i, ''));
      if (!user) return json(401, { error: 'invalid_token' });
      return json(200, user);
    }
    json(404, { error: 'not_found' });
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}/tenant-a`;
  return {
    issuer,
    signInAs: (user) => {
      current = user;
    },
    misbehaveOnce: (how) => {
      misbehaviour = how;
    },
    rotateKey: () => {
      generation += 1;
      key = newKey(`key-${generation}`);
    },
    issued,
    seen,
    close: () =>
      new Promise((ok) => {
        server.close(() => ok());
        server.closeAllConnections();
      }),
  };
}
