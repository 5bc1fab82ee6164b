// `api.as(user).post(path, body)` over Supertest against a running server's URL.
import supertest from 'supertest';

export interface Credentials {
  accessToken: string;
}

/** A tiny REST client bound to a server and, optionally, a credential. */
export class Api {
  private readonly url: string;
  private readonly token: string | null;

  constructor(url: string, token: string | null = null) {
    this.url = url;
    this.token = token;
  }

  /** The same client acting as a user (its access token), an API key secret, or anonymously. */
  as(who: Credentials | string | null): Api {
    return new Api(this.url, who === null ? null : typeof who === 'string' ? who : who.accessToken);
  }

  private with(test: supertest.Test): supertest.Test {
    return this.token ? test.set('Authorization', `Bearer ${this.token}`) : test;
  }

  get(path: string) {
    return this.with(supertest(this.url).get(path));
  }
  post(path: string, body?: unknown) {
    const t = this.with(supertest(this.url).post(path));
    return body === undefined ? t : t.send(body as object);
  }
  put(path: string, body?: unknown) {
    const t = this.with(supertest(this.url).put(path));
    return body === undefined ? t : t.send(body as object);
  }
  patch(path: string, body?: unknown) {
    const t = this.with(supertest(this.url).patch(path));
    return body === undefined ? t : t.send(body as object);
  }
  delete(path: string) {
    return this.with(supertest(this.url).delete(path));
  }
}
