// A small client for Figma's REST API (api.figma.com or FIGMA_API_URL): JSON over the outbound guard,
// the personal access token only ever in the X-Figma-Token header. Every failure becomes a FigmaError
// that says what went wrong; figma-errors.ts turns it into an error of the table.
import type { IncomingHttpHeaders } from 'node:http';
import type { z } from 'zod';
import { AppError } from '../../utils/errors.ts';
import { guardedFetch, type OutboundPolicy } from '../../utils/net-guard.ts';
import { FileMetaAnswer, LocalVariablesAnswer, MeAnswer, NodesAnswer } from './figma-answers.ts';
import type { FigmaFileMeta, FigmaLocalVariables, FigmaMe, FigmaNodes } from './figma.types.ts';

export interface FigmaApiSettings {
  /** FIGMA_API_URL, e.g. https://api.figma.com. */
  baseUrl: string;
  policy: OutboundPolicy;
  timeoutMs: number;
  /** Largest response body accepted. */
  maxBytes: number;
}

export type FigmaFailure = 'token_rejected' | 'not_found' | 'rate_limited' | 'unavailable';

/** A request Figma refused or could not answer. */
export class FigmaError extends Error {
  readonly failure: FigmaFailure;
  readonly status: number;
  /** Seconds to wait, for `rate_limited` (Figma's Retry-After). */
  readonly retryAfterSeconds: number | null;

  constructor(failure: FigmaFailure, status: number, message: string, retryAfterSeconds: number | null = null) {
    super(message);
    this.name = 'FigmaError';
    this.failure = failure;
    this.status = status;
    this.retryAfterSeconds = retryAfterSeconds;
  }
}

const header = (h: IncomingHttpHeaders, name: string) => {
  const v = h[name];
  return Array.isArray(v) ? v[0] : v;
};

/** Figma's own message: `err` on file endpoints, `message` on the variables endpoints. */
function figmaMessage(body: string): string {
  try {
    const parsed = JSON.parse(body) as { err?: unknown; message?: unknown };
    const said = typeof parsed.err === 'string' ? parsed.err : parsed.message;
    return typeof said === 'string' ? said.slice(0, 300) : '';
  } catch {
    return '';
  }
}

/** The failure an error status stands for, with a message naming what was asked. */
export function failureOf(status: number, headers: IncomingHttpHeaders, body: string, what: string): FigmaError {
  const message = figmaMessage(body);
  const said = message ? `: ${message}` : '';
  if (status === 429) {
    const retry = Number(header(headers, 'retry-after'));
    const seconds = Number.isFinite(retry) && retry >= 0 ? Math.ceil(retry) : 60;
    return new FigmaError(
      'rate_limited',
      429,
      `Figma's rate limit was hit while ${what}; try again in ${seconds} s`,
      seconds,
    );
  }
  if (status === 401 || status === 403)
    return new FigmaError(
      'token_rejected',
      status,
      `Figma refused the token while ${what} (${status}${said}): it is wrong, expired or revoked, lacks the ` +
        'scope this needs (file_content:read, file_variables:read) or cannot open the file; set a new one with PUT /api/users/me/figma',
    );
  if (status === 404)
    return new FigmaError(
      'not_found',
      404,
      `Figma found nothing while ${what} (404${said}): check the file key, or that the token's account can open the file`,
    );
  return new FigmaError('unavailable', status, `Figma answered ${status} while ${what}${said}`);
}

/** Figma's REST API as one personal access token sees it. */
export class FigmaApi {
  private readonly settings: FigmaApiSettings;
  private readonly token: string;

  constructor(settings: FigmaApiSettings, token: string) {
    this.settings = settings;
    this.token = token;
  }

  /** `GET /v1/me`: the account the token belongs to. */
  me(): Promise<FigmaMe> {
    return this.get('/v1/me', MeAnswer, 'checking the token');
  }

  /** `GET /v1/files/:key?depth=1`: the file's name and current version, without its tree. */
  fileMeta(fileKey: string): Promise<FigmaFileMeta> {
    return this.get(`/v1/files/${encodeURIComponent(fileKey)}?depth=1`, FileMetaAnswer, `reading file ${fileKey}`);
  }

  /** `GET /v1/files/:key/nodes?ids=…`: the nodes' subtrees with their components and styles. */
  nodes(fileKey: string, ids: string[]): Promise<FigmaNodes> {
    const query = new URLSearchParams({ ids: ids.join(',') });
    return this.get(
      `/v1/files/${encodeURIComponent(fileKey)}/nodes?${query}`,
      NodesAnswer,
      `reading node ${ids.join(', ')} of file ${fileKey}`,
    );
  }

  /** `GET /v1/files/:key/variables/local`: the file's variables and collections with every mode's value. */
  localVariables(fileKey: string): Promise<FigmaLocalVariables> {
    return this.get(
      `/v1/files/${encodeURIComponent(fileKey)}/variables/local`,
      LocalVariablesAnswer,
      `reading the variables of file ${fileKey}`,
    );
  }

  private async get<T>(path: string, shape: z.ZodType<T>, what: string): Promise<T> {
    let res: Awaited<ReturnType<typeof guardedFetch>>;
    try {
      res = await guardedFetch(`${this.settings.baseUrl.replace(/\/$/, '')}${path}`, this.settings.policy, {
        timeoutMs: this.settings.timeoutMs,
        maxBytes: this.settings.maxBytes,
        headers: { Accept: 'application/json', 'X-Figma-Token': this.token },
      });
    } catch (err) {
      // A refused address is a configuration problem and stays as it is; anything else is Figma being down.
      if (err instanceof AppError && err.code === 'validation_failed') throw err;
      const reason = err instanceof AppError ? err.message : 'connection failed';
      throw new FigmaError('unavailable', 0, `Figma could not be reached while ${what} (${reason})`);
    }
    const body = res.body.toString('utf8');
    if (res.status < 200 || res.status >= 300) throw failureOf(res.status, res.headers, body, what);
    let json: unknown;
    try {
      json = JSON.parse(body);
    } catch {
      throw new FigmaError('unavailable', res.status, `Figma's answer while ${what} is not JSON`);
    }
    let parsed: ReturnType<typeof shape.safeParse>;
    try {
      parsed = shape.safeParse(json);
    } catch {
      // The node schema is recursive: a tree tens of thousands of levels deep exhausts the stack.
      throw new FigmaError('unavailable', res.status, `Figma's answer while ${what} is nested too deeply to read`);
    }
    if (!parsed.success) {
      const where = parsed.error.issues[0]?.path.join('.') || 'the answer';
      throw new FigmaError(
        'unavailable',
        res.status,
        `Figma's answer while ${what} is not what Figma documents (${where})`,
      );
    }
    return parsed.data;
  }
}
