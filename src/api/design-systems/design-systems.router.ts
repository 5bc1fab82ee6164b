// /api/design-systems: CRUD and the whole-system export (seed 001 paths).
import { presentDesignSystem } from '../../models/presenters/design-system.presenter.ts';
import type { Services } from '../../services/index.ts';
import type { OpenApiRegistry } from '../openapi/registry.ts';
import { Routes } from '../route.ts';
import { CreateDsBody, DsParams, ListDsQuery, UpdateDsBody } from './design-systems.schema.ts';

/** The design-system routes. */
export function designSystemRoutes({ designSystems, exports }: Services, registry: OpenApiRegistry) {
  const r = new Routes(registry, '/api/design-systems', 'Design systems');

  r.get('/', { summary: "List design systems in the caller's teams", query: ListDsQuery }, async ({ actor, query }) => {
    const { items, nextCursor } = await designSystems.list(actor, query);
    return { items: items.map(presentDesignSystem), nextCursor };
  });
  r.post('/', { summary: 'Create a design system in a team', body: CreateDsBody }, async ({ actor, body }) =>
    presentDesignSystem(await designSystems.create(actor, body.teamId, body)),
  );
  r.get('/:id', { summary: 'Get a design system', params: DsParams }, async ({ actor, params }) =>
    presentDesignSystem(await designSystems.get(actor, params.id)),
  );
  r.put(
    '/:id',
    { summary: 'Update a design system', params: DsParams, body: UpdateDsBody },
    async ({ actor, params, body }) => presentDesignSystem(await designSystems.update(actor, params.id, body)),
  );
  r.delete(
    '/:id',
    { summary: 'Delete a design system with everything in it', params: DsParams, status: 204 },
    async ({ actor, params }) => {
      await designSystems.remove(actor, params.id);
    },
  );
  r.get(
    '/:id/export',
    { summary: 'The whole design system as JSON: DTCG tokens, components with code, docs and props', params: DsParams },
    async ({ actor, params }) => exports.designSystem(actor, params.id),
  );
  return r;
}
