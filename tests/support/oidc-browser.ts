// A browser for OpenID Connect sign-in tests: follows one redirect at a time with fetch and keeps
// the cookies the Ensemble server sets (and only those).
import { expect } from '@jest/globals';

/** A browser: follows one redirect at a time and keeps the cookies Ensemble sets. */
export class OidcBrowser {
  private readonly serverUrl: string;
  constructor(serverUrl: string) {
    this.serverUrl = serverUrl;
  }

  private readonly jar = new Map<string, string>();

  async get(url: string): Promise<Response> {
    const cookie = [...this.jar].map(([k, v]) => `${k}=${v}`).join('; ');
    const own = url.startsWith(this.serverUrl);
    const res = await fetch(url, { redirect: 'manual', headers: own && cookie ? { Cookie: cookie } : {} });
    if (own) {
      for (const line of res.headers.getSetCookie()) {
        const [pair = ''] = line.split(';');
        const [name = '', ...value] = pair.split('=');
        if (/max-age=0|expires=thu, 01 jan 1970/i.test(line)) this.jar.delete(name);
        else this.jar.set(name, value.join('='));
      }
    }
    return res;
  }

  /** Ensemble's start → the provider's /authorize; returns the callback URL the provider redirects to. */
  async toProvider(redirect?: string, provider = 'acme'): Promise<URL> {
    const query = redirect ? `?redirect=${encodeURIComponent(redirect)}` : '';
    const start = await this.get(`${this.serverUrl}/api/auth/oidc/${provider}${query}`);
    expect(start.status).toBe(302);
    const authorize = await this.get(start.headers.get('location') as string);
    expect(authorize.status).toBe(302);
    return new URL(authorize.headers.get('location') as string);
  }

  /** The callback; returns where Ensemble sends the browser afterwards. */
  async back(callback: URL): Promise<URL> {
    const done = await this.get(callback.href);
    expect(done.status).toBe(302);
    const location = done.headers.get('location') as string;
    expect(location).not.toMatch(/accessToken|refreshToken|eyJ/);
    return new URL(location, this.serverUrl);
  }

  async signIn(redirect?: string): Promise<URL> {
    return this.back(await this.toProvider(redirect));
  }
}
