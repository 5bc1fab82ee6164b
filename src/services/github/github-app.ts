// A GitHub App as a repository connection's credential: the App signs a short JWT with its private
// key (RS256, as GitHub's docs prescribe: `iat` a minute back for clock drift, `exp` under ten
// minutes, `iss` the App id), exchanges it for an installation access token
// (`POST /app/installations/:id/access_tokens`, valid one hour), and uses that like a personal
// token. Tokens are kept per installation until five minutes before they expire, and forgotten
// when GitHub refuses one (the installation was suspended or its token revoked early).
import { createSign, type KeyObject } from 'node:crypto';
import { GithubApi, GithubError, type GithubApiSettings } from './github-api.ts';

export interface GithubAppSettings {
  appId: string;
  privateKey: KeyObject;
}

/** What GitHub grants an installation token, as the access-token answer lists it. */
export interface InstallationGrant {
  token: string;
  expiresAt: number;
  permissions: Record<string, string>;
}

const REFRESH_BEFORE_MS = 5 * 60_000;
const base64url = (data: string | Buffer) => Buffer.from(data).toString('base64url');

/** Installation tokens of one GitHub App. */
export class GithubAppAuth {
  private readonly api: GithubApiSettings;
  private readonly app: GithubAppSettings;
  private readonly grants = new Map<string, Promise<InstallationGrant>>();

  constructor(api: GithubApiSettings, app: GithubAppSettings) {
    this.api = api;
    this.app = app;
  }

  /** The App's own JWT (signs the access-token request only). */
  appJwt(now = Date.now()): string {
    const seconds = Math.floor(now / 1000);
    const header = base64url(JSON.stringify({ alg: 'RS256', typ: 'JWT' }));
    const claims = base64url(JSON.stringify({ iat: seconds - 60, exp: seconds + 9 * 60, iss: this.app.appId }));
    const signature = createSign('RSA-SHA256').update(`${header}.${claims}`).sign(this.app.privateKey);
    return `${header}.${claims}.${base64url(signature)}`;
  }

  /**
   * A token of the installation, still valid for at least five minutes; `fresh` mints one whatever
   * is held (a connect checks what the installation grants now, not what an older token carries).
   */
  async grant(installationId: string, fresh = false): Promise<InstallationGrant> {
    if (fresh) this.grants.delete(installationId);
    const held = this.grants.get(installationId);
    if (held !== undefined) {
      const grant = await held.catch(() => null);
      if (grant && grant.expiresAt - Date.now() > REFRESH_BEFORE_MS) return grant;
      if (this.grants.get(installationId) === held) this.grants.delete(installationId);
    }
    let pending = this.grants.get(installationId);
    if (!pending) {
      pending = this.mint(installationId);
      this.grants.set(installationId, pending);
      pending.catch(() => this.grants.get(installationId) === pending && this.grants.delete(installationId));
    }
    return pending;
  }

  /** The API client of an installation; a refused token is forgotten so the next call mints another. */
  async client(installationId: string): Promise<GithubApi> {
    const { token } = await this.grant(installationId);
    return new GithubApi(this.api, token, (err) => {
      if (err.failure === 'unauthorized') this.grants.delete(installationId);
    });
  }

  private async mint(installationId: string): Promise<InstallationGrant> {
    const answer = await new GithubApi(this.api, this.appJwt())
      .request<{ token: string; expires_at: string; permissions?: Record<string, string> }>(
        'POST',
        `/app/installations/${encodeURIComponent(installationId)}/access_tokens`,
        `creating a token for GitHub App installation ${installationId}`,
        {},
      )
      .catch((err: unknown) => {
        // 401: the App's id or key is wrong; 404: no such installation of this App.
        if (err instanceof GithubError && err.failure === 'unauthorized')
          throw new GithubError(
            'unauthorized',
            401,
            'GitHub refused the App (401): GITHUB_APP_ID or GITHUB_APP_PRIVATE_KEY is wrong',
            err.githubMessage,
          );
        throw err;
      });
    const expiresAt = Date.parse(answer.expires_at);
    return {
      token: answer.token,
      expiresAt: Number.isFinite(expiresAt) ? expiresAt : Date.now() + 60 * 60_000,
      permissions: answer.permissions ?? {},
    };
  }
}
