// A small client for GitHub's REST API (api.github.com or GITHUB_API_URL): JSON over the outbound guard
// (the address is checked once and pinned; no redirects), the token only ever in the Authorization
// header. Every failure becomes a GithubError that says what went wrong and whether a retry may help.
import http from 'node:http';
import https from 'node:https';
import type { LookupFunction } from 'node:net';
import { checkOutboundUrl, type OutboundPolicy } from '../../utils/net-guard.ts';

export interface GithubApiSettings {
  /** GITHUB_API_URL, e.g. https://api.github.com (or a GitHub Enterprise `/api/v3` base). */
  baseUrl: string;
  policy: OutboundPolicy;
  timeoutMs: number;
  /** Largest response body accepted. */
  maxBytes: number;
  /** Longest rate-limit wait sat out in place before giving up (ms). */
  maxRateLimitWaitMs: number;
}

export type GithubFailure =
  | 'unauthorized'
  | 'forbidden'
  | 'not_found'
  | 'conflict'
  | 'unprocessable'
  | 'rate_limited'
  | 'unavailable';

/** A request GitHub refused or could not answer. */
export class GithubError extends Error {
  readonly failure: GithubFailure;
  readonly status: number;
  /** When a rate limit lifts, for `rate_limited`. */
  readonly retryAt: Date | null;
  /** GitHub's own message (never contains the token). */
  readonly githubMessage: string;

  constructor(
    failure: GithubFailure,
    status: number,
    message: string,
    githubMessage = '',
    retryAt: Date | null = null,
  ) {
    super(message);
    this.name = 'GithubError';
    this.failure = failure;
    this.status = status;
    this.githubMessage = githubMessage;
    this.retryAt = retryAt;
  }

  /** Whether trying the same request again later may succeed. */
  get transient(): boolean {
    return this.failure === 'unavailable';
  }
}

type Method = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';

interface RawResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

const pinned =
  (address: string, family: number): LookupFunction =>
  (_host, options, cb) => {
    if (options.all) cb(null, [{ address, family }]);
    else cb(null, address, family);
  };

const header = (h: http.IncomingHttpHeaders, name: string) => {
  const v = h[name];
  return Array.isArray(v) ? v[0] : v;
};

/** When a rate-limited answer says to come back: Retry-After (seconds), else x-ratelimit-reset (epoch s). */
export function rateLimitReset(status: number, headers: http.IncomingHttpHeaders, now = Date.now()): Date | null {
  const retryAfter = Number(header(headers, 'retry-after'));
  if (Number.isFinite(retryAfter) && retryAfter >= 0 && header(headers, 'retry-after') !== undefined)
    return new Date(now + retryAfter * 1000);
  const limited = status === 429 || (status === 403 && header(headers, 'x-ratelimit-remaining') === '0');
  const reset = Number(header(headers, 'x-ratelimit-reset'));
  if (limited && Number.isFinite(reset) && reset > 0) return new Date(reset * 1000);
  return limited ? new Date(now + 60_000) : null;
}

/** The failure an error status stands for, with a message naming what was asked. */
function failureOf(res: RawResponse, what: string): GithubError {
  let githubMessage = '';
  try {
    const parsed = JSON.parse(res.body) as { message?: unknown; errors?: unknown };
    githubMessage = typeof parsed.message === 'string' ? parsed.message.slice(0, 300) : '';
    if (Array.isArray(parsed.errors)) {
      const details = parsed.errors
        .map((e) => (typeof e === 'string' ? e : (e as { message?: string }).message))
        .filter(Boolean);
      if (details.length) githubMessage += ` (${details.join('; ').slice(0, 300)})`;
    }
  } catch {
    // A proxy's HTML page: the status says enough.
  }
  const said = githubMessage ? `: ${githubMessage}` : '';
  const retryAt = rateLimitReset(res.status, res.headers);
  // A 403 with a Retry-After is GitHub's secondary rate limit.
  if (res.status === 429 || (res.status === 403 && retryAt)) {
    return new GithubError(
      'rate_limited',
      res.status,
      `GitHub's rate limit was hit while ${what}; it lifts at ${retryAt?.toISOString()}`,
      githubMessage,
      retryAt,
    );
  }
  if (res.status === 401)
    return new GithubError(
      'unauthorized',
      401,
      `GitHub refused the token while ${what} (401${said}): it is wrong, expired or revoked; ` +
        'connect again with a new token',
      githubMessage,
    );
  if (res.status === 403)
    return new GithubError(
      'forbidden',
      403,
      `GitHub forbade ${what} (403${said}): the token needs Contents and Pull requests write access to the repository`,
      githubMessage,
    );
  if (res.status === 404)
    return new GithubError(
      'not_found',
      404,
      `GitHub found nothing while ${what} (404): the repository or branch does not exist, or the token cannot see it`,
      githubMessage,
    );
  if (res.status === 409) return new GithubError('conflict', 409, `GitHub refused ${what} (409${said})`, githubMessage);
  if (res.status === 422)
    return new GithubError('unprocessable', 422, `GitHub refused ${what} (422${said})`, githubMessage);
  return new GithubError('unavailable', res.status, `GitHub answered ${res.status} while ${what}`, githubMessage);
}

/** GitHub's REST API as one token sees it. */
export class GithubApi {
  private readonly settings: GithubApiSettings;
  private readonly token: string;
  private readonly onRefused: (err: GithubError) => void;

  /** `onRefused` hears every error answer before it is thrown (an App forgets a refused token). */
  constructor(settings: GithubApiSettings, token: string, onRefused: (err: GithubError) => void = () => {}) {
    this.settings = settings;
    this.token = token;
    this.onRefused = onRefused;
  }

  /** Sends a request and parses the JSON answer; `what` names the step in error messages. */
  async request<T>(method: Method, path: string, what: string, body?: unknown): Promise<T> {
    for (let waited = 0; ; ) {
      const res = await this.send(method, path, what, body);
      if (res.status >= 200 && res.status < 300) return (res.body ? JSON.parse(res.body) : null) as T;
      const failure = failureOf(res, what);
      const wait = failure.retryAt ? failure.retryAt.getTime() - Date.now() : 0;
      // Short limits are sat out here; long ones end the attempt with the time they lift.
      if (failure.failure === 'rate_limited' && wait >= 0 && waited + wait <= this.settings.maxRateLimitWaitMs) {
        waited += wait;
        await new Promise((ok) => setTimeout(ok, wait));
        continue;
      }
      this.onRefused(failure);
      throw failure;
    }
  }

  private async send(method: Method, path: string, what: string, body: unknown): Promise<RawResponse> {
    const { url, address, family } = await checkOutboundUrl(
      `${this.settings.baseUrl.replace(/\/$/, '')}${path}`,
      this.settings.policy,
    );
    const client = url.protocol === 'https:' ? https : http;
    const payload = body === undefined ? undefined : JSON.stringify(body);
    return new Promise<RawResponse>((resolve, reject) => {
      const fail = (reason: string) =>
        reject(new GithubError('unavailable', 0, `GitHub could not be reached while ${what} (${reason})`));
      const req = client.request(
        url,
        {
          method,
          headers: {
            Accept: 'application/vnd.github+json',
            Authorization: `Bearer ${this.token}`,
            'User-Agent': 'Ensemble/0.1',
            'X-GitHub-Api-Version': '2022-11-28',
            ...(payload !== undefined
              ? { 'Content-Type': 'application/json', 'Content-Length': String(Buffer.byteLength(payload)) }
              : {}),
          },
          timeout: this.settings.timeoutMs,
          agent: false,
          lookup: pinned(address, family),
        },
        (res) => {
          const chunks: Buffer[] = [];
          let size = 0;
          res.on('data', (chunk: Buffer) => {
            size += chunk.length;
            if (size > this.settings.maxBytes) {
              req.destroy();
              reject(
                new GithubError(
                  'unprocessable',
                  0,
                  `GitHub's answer while ${what} is larger than ${this.settings.maxBytes} bytes`,
                ),
              );
              return;
            }
            chunks.push(chunk);
          });
          res.on('end', () => {
            const status = res.statusCode ?? 0;
            // Redirects (a renamed repository) are not followed: the outbound guard checked one address.
            if (status >= 300 && status < 400)
              reject(
                new GithubError(
                  'not_found',
                  status,
                  `GitHub redirected while ${what} (${status}): the repository was renamed or moved; ` +
                    'connect it under its new name',
                ),
              );
            else resolve({ status, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') });
          });
          res.on('error', () => fail('the connection broke'));
        },
      );
      req.on('timeout', () => req.destroy(new Error('timeout')));
      req.on('error', (err) => fail(err.message === 'timeout' ? 'timed out' : 'connection failed'));
      if (payload !== undefined) req.write(payload);
      req.end();
    });
  }
}

/** `/repos/<owner>/<repo>` with both parts escaped. */
export const repoPath = (owner: string, repo: string) =>
  `/repos/${encodeURIComponent(owner)}/${encodeURIComponent(repo)}`;

/** A branch or file path with each segment escaped and its slashes kept. */
export const segments = (path: string) => path.split('/').map(encodeURIComponent).join('/');
