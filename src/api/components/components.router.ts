// /api/design-systems/:dsId/components: CRUD on live documents, versions, diff and revert.
import { presentComponent, presentComponentVersion } from '../../models/presenters/design-system.presenter.ts';
import type { Services } from '../../services/index.ts';
import { AppError } from '../../utils/errors.ts';
import type { OpenApiRegistry } from '../openapi/registry.ts';
import { Routes } from '../route.ts';
import { sendStartedJob } from '../jobs/jobs.router.ts';
import { idempotencyKey } from '../idempotency.ts';
import {
  ComponentParams,
  GenerateBody,
  CreateComponentBody,
  DiffParams,
  DsParams,
  ListComponentsQuery,
  SaveVersionBody,
  UpdateComponentBody,
  VersionParams,
} from './components.schema.ts';

/** `If-Match: "3"` or `W/"3"` → 3. */
function ifMatch(header: string | undefined): number | undefined {
  if (!header) return undefined;
  const match = /^(?:W\/)?"?(\d+)"?$/.exec(header.trim());
  if (!match)
    throw new AppError('validation_failed', undefined, [
      { path: 'If-Match', code: 'invalid_etag', message: 'Use the ETag from GET' },
    ]);
  return Number(match[1]);
}

const toInput = ({ documentation, ...rest }: { documentation?: string | undefined } & Record<string, unknown>) => ({
  ...rest,
  ...(documentation !== undefined ? { docs: documentation } : {}),
});

/** The component routes. */
export function componentRoutes({ components, ai }: Services, registry: OpenApiRegistry) {
  const r = new Routes(registry, '/api/design-systems/:dsId/components', 'Components');

  r.post(
    '/generate',
    {
      summary: 'Generate a component with AI (a job; Idempotency-Key honoured)',
      params: DsParams,
      body: GenerateBody,
      status: 202,
    },
    async ({ actor, params, body, req, res }) => {
      sendStartedJob(res, await ai.request(actor, params.dsId, body, idempotencyKey(req.headers['idempotency-key'])));
    },
  );

  r.get(
    '/',
    {
      summary: 'Search components by name, filter by category and status',
      params: DsParams,
      query: ListComponentsQuery,
    },
    async ({ actor, params, query }) => {
      const { items, nextCursor } = await components.list(actor, params.dsId, query);
      return { items: items.map(presentComponent), nextCursor };
    },
  );
  r.post(
    '/',
    { summary: 'Create a component', params: DsParams, body: CreateComponentBody },
    async ({ actor, params, body, res }) => {
      const row = await components.create(actor, params.dsId, toInput(body) as Parameters<typeof components.create>[2]);
      res.set('ETag', `"${row.version}"`);
      return presentComponent(row);
    },
  );
  r.get(
    '/:id',
    { summary: 'Get a component (ETag carries its version)', params: ComponentParams },
    async ({ actor, params, res }) => {
      const row = await components.get(actor, params.dsId, params.id);
      res.set('ETag', `"${row.version}"`);
      return presentComponent(row);
    },
  );
  r.put(
    '/:id',
    {
      summary: 'Update a component; merges with live edits; If-Match or version for optimistic concurrency',
      params: ComponentParams,
      body: UpdateComponentBody,
    },
    async ({ actor, params, body, req, res }) => {
      const { version, saveVersion, ...fields } = body;
      const expected = ifMatch(req.headers['if-match']) ?? version;
      const row = await components.update(actor, params.dsId, params.id, toInput(fields), expected);
      if (saveVersion) await components.saveVersion(actor, params.dsId, params.id, saveVersion.message ?? null);
      res.set('ETag', `"${row.version}"`);
      return presentComponent(row);
    },
  );
  r.delete(
    '/:id',
    { summary: 'Delete a component', params: ComponentParams, status: 204 },
    async ({ actor, params }) => {
      await components.remove(actor, params.dsId, params.id);
    },
  );

  r.get(
    '/:id/versions',
    { summary: 'Saved versions, newest first', params: ComponentParams },
    async ({ actor, params }) => ({
      items: (await components.history(actor, params.dsId, params.id)).map(presentComponentVersion),
      nextCursor: null,
    }),
  );
  r.post(
    '/:id/versions',
    { summary: 'Save the current content as a version', params: ComponentParams, body: SaveVersionBody },
    async ({ actor, params, body }) =>
      presentComponentVersion(await components.saveVersion(actor, params.dsId, params.id, body.message ?? null)),
  );
  r.get(
    '/:id/versions/:a/diff/:b',
    { summary: 'Field-level diff between two versions, unified diffs for code and docs', params: DiffParams },
    async ({ actor, params }) => components.diff(actor, params.dsId, params.id, params.a, params.b),
  );
  r.post(
    '/:id/revert/:version',
    { summary: 'Revert to a saved version (a new transaction and a new version)', params: VersionParams, status: 200 },
    async ({ actor, params, res }) => {
      const row = await components.revert(actor, params.dsId, params.id, params.version);
      res.set('ETag', `"${row.version}"`);
      return presentComponent(row);
    },
  );
  return r;
}
