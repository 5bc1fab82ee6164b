// GitHub sync routes: connect a repository to a design system (admins), push it as a pull request (a
// job), and the webhook GitHub calls on pushes (public, verified by its signature).
import express, { type RequestHandler } from 'express';
import type { Services } from '../../services/index.ts';
import { presentConnection } from '../../services/github/github.service.ts';
import { AppError } from '../../utils/errors.ts';
import { MAX_PAYLOAD_DEPTH, measurePayload } from '../../utils/payload-shape.ts';
import { idempotencyKey } from '../idempotency.ts';
import { sendStartedJob } from '../jobs/jobs.router.ts';
import type { OpenApiRegistry } from '../openapi/registry.ts';
import { Routes } from '../route.ts';
import { ConnectBody, DsParams, PushBody, WebhookBody } from './github.schema.ts';

export const GITHUB_WEBHOOK_PATH = '/api/github/webhook';

/** Keeps the webhook's body as bytes (the signature is over them); mounted before the JSON parser. */
export function githubWebhookBody(limit: number): RequestHandler {
  return express.raw({ type: () => true, limit });
}

/** Parses the kept bytes into `req.body` (the route accepts only application/json: GitHub's form encoding is a 415). */
const parseDelivery: RequestHandler = (req, res, next) => {
  const raw = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
  res.locals.rawBody = raw;
  try {
    req.body = JSON.parse(raw.toString('utf8'));
  } catch {
    next(new AppError('invalid_json'));
    return;
  }
  if (measurePayload(req.body, { maxDepth: MAX_PAYLOAD_DEPTH }).exceeded === 'depth')
    next(new AppError('validation_failed', `The body may nest at most ${MAX_PAYLOAD_DEPTH} levels`));
  else next();
};

const header = (value: string | string[] | undefined) => (Array.isArray(value) ? value[0] : value);

/** The connection and push routes, and the webhook. */
export function githubSyncRoutes({ githubSync }: Services, registry: OpenApiRegistry, publicUrl: string) {
  const webhook = {
    url: `${publicUrl.replace(/\/$/, '')}${GITHUB_WEBHOOK_PATH}`,
    contentType: 'application/json',
    events: ['push'],
  };
  const r = new Routes(registry, '/api/design-systems/:id/github', 'GitHub');
  r.put(
    '/',
    {
      summary:
        'Connect a GitHub repository (admins): the token is stored encrypted; a new webhook secret is shown once',
      params: DsParams,
      body: ConnectBody,
    },
    async ({ actor, params, body, res }) => {
      const { connection, created, webhookSecret } = await githubSync.connect(actor, params.id, body);
      if (created) res.status(201);
      return {
        ...presentConnection(connection),
        webhook: { ...webhook, ...(webhookSecret ? { secret: webhookSecret } : {}) },
      };
    },
  );
  r.get(
    '/',
    { summary: 'The connected repository (admins; never the token or webhook secret)', params: DsParams },
    async ({ actor, params }) => ({ ...presentConnection(await githubSync.get(actor, params.id)), webhook }),
  );
  r.delete(
    '/',
    { summary: 'Disconnect the repository; its token and webhook secret are forgotten', params: DsParams, status: 204 },
    async ({ actor, params }) => {
      await githubSync.disconnect(actor, params.id);
    },
  );
  r.post(
    '/push',
    {
      summary: 'Push tokens and components to a branch and open a pull request (a job); Idempotency-Key honoured',
      params: DsParams,
      body: PushBody,
      status: 202,
    },
    async ({ actor, params, body, req, res }) => {
      sendStartedJob(
        res,
        await githubSync.requestPush(actor, params.id, body, idempotencyKey(req.headers['idempotency-key'])),
      );
    },
  );

  const hooks = new Routes(registry, '/api/github', 'GitHub');
  hooks.post(
    '/webhook',
    {
      summary: "GitHub's push webhook (X-Hub-Signature-256): imports changed token files of the base branch",
      auth: false,
      body: WebhookBody,
      before: [parseDelivery],
      status: 200,
    },
    async ({ body, req, res }) => {
      const outcome = await githubSync.imports.receive({
        event: header(req.headers['x-github-event']) ?? '',
        signature: header(req.headers['x-hub-signature-256']),
        raw: res.locals.rawBody as Buffer,
        payload: body,
      });
      if (!outcome.accepted) res.status(202);
      return { results: outcome.results };
    },
  );
  return [r, hooks];
}
