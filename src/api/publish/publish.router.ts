// Publishing and design-system versions (seed 001's POST /api/design-systems/:id/publish), and the
// team's npm registry settings.
import { pipeline } from 'node:stream/promises';
import { z } from 'zod';
import type { DesignSystemVersion } from '../../models/db.ts';
import type { Services } from '../../services/index.ts';
import { idempotencyKey } from '../idempotency.ts';
import { sendStartedJob } from '../jobs/jobs.router.ts';
import type { OpenApiRegistry } from '../openapi/registry.ts';
import { Routes } from '../route.ts';

const semver = z.string().regex(/^\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?$/, 'a semantic version like 1.2.3');
const DsParams = z.object({ id: z.uuid() });
const VersionParams = z.object({ id: z.uuid(), version: semver });
const DiffParams = z.object({ id: z.uuid(), a: semver, b: semver });
const PublishBody = z
  .object({
    bump: z.enum(['major', 'minor', 'patch']).optional(),
    version: semver.optional(),
    distTag: z
      .string()
      .regex(/^[a-z][a-z0-9-]{0,30}$/)
      .default('latest'),
    message: z.string().max(2000).optional(),
  })
  .refine((b) => !(b.bump && b.version), { message: 'Give bump or version, not both', path: ['version'] });
const RegistryBody = z.object({
  url: z.url().nullable(),
  token: z.string().min(1).max(2000).optional(),
  scope: z
    .string()
    .regex(/^[a-z0-9][a-z0-9-._]*$/, 'an npm scope without @')
    .max(100)
    .nullable()
    .optional(),
});

const presentVersion = (v: DesignSystemVersion, full = false) => ({
  id: v.id,
  designSystemId: v.designSystemId,
  version: v.version,
  distTag: v.distTag,
  changelog: v.changelog,
  diff: v.diff,
  publishedAt: v.publishedAt?.toISOString() ?? null,
  createdById: v.createdById,
  createdAt: v.createdAt.toISOString(),
  ...(full ? { tokens: v.tokens, components: v.components } : {}),
});

/** The publish and version routes. */
export function publishRoutes({ publish }: Services, registry: OpenApiRegistry) {
  const r = new Routes(registry, '/api/design-systems/:id', 'Publishing');
  r.post(
    '/publish',
    {
      summary: 'Publish a version (a job): bump or an explicit version, dist-tag; Idempotency-Key honoured',
      params: DsParams,
      body: PublishBody,
      status: 202,
    },
    async ({ actor, params, body, req, res }) => {
      sendStartedJob(
        res,
        await publish.request(actor, params.id, body, idempotencyKey(req.headers['idempotency-key'])),
      );
    },
  );
  r.get('/versions', { summary: 'Published versions, newest first', params: DsParams }, async ({ actor, params }) => ({
    items: (await publish.list(actor, params.id)).map((v) => presentVersion(v)),
    nextCursor: null,
  }));
  r.get(
    '/versions/:version',
    { summary: 'One version with its tokens and components', params: VersionParams },
    async ({ actor, params }) => presentVersion(await publish.get(actor, params.id, params.version), true),
  );
  r.get(
    '/versions/:a/diff/:b',
    { summary: 'Tokens and components added, removed and changed between two versions', params: DiffParams },
    ({ actor, params }) => publish.diff(actor, params.id, params.a, params.b),
  );
  r.get(
    '/versions/:version/export',
    { summary: 'A version as JSON (the same shape as the design-system export)', params: VersionParams },
    async ({ actor, params }) => {
      const v = await publish.get(actor, params.id, params.version);
      return {
        format: 'ensemble.design-system-version/1',
        version: v.version,
        tokens: v.tokens,
        components: v.components,
        changelog: v.changelog,
      };
    },
  );
  r.get(
    '/versions/:version/package',
    { summary: 'The npm package tarball of a version', params: VersionParams },
    async ({ actor, params, res }) => {
      const { row, body } = await publish.tarball(actor, params.id, params.version);
      res.set({
        'Content-Type': 'application/gzip',
        'Content-Length': String(body.size),
        'Content-Disposition': `attachment; filename="package-${row.version}.tgz"`,
      });
      await pipeline(body.body, res);
    },
  );
  return r;
}

/** The team registry settings routes. */
export function registryRoutes({ publish }: Services, registry: OpenApiRegistry) {
  const r = new Routes(registry, '/api/teams/:id/registry', 'Publishing');
  const Params = z.object({ id: z.uuid() });
  r.get('/', { summary: "The team's npm registry (never the token)", params: Params }, ({ actor, params }) =>
    publish.registry(actor, params.id),
  );
  r.put(
    '/',
    { summary: 'Set the npm registry, token (stored encrypted) and scope', params: Params, body: RegistryBody },
    ({ actor, params, body }) => publish.setRegistry(actor, params.id, body),
  );
  return r;
}
