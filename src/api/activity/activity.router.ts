// GET /api/teams/:teamId/activity (seed 001 path) with cursor pagination and filters.
import { z } from 'zod';
import { presentActivity } from '../../models/presenters/activity.presenter.ts';
import type { Services } from '../../services/index.ts';
import type { OpenApiRegistry } from '../openapi/registry.ts';
import { PageQuery } from '../pagination.schema.ts';
import { Routes } from '../route.ts';

const Params = z.object({ teamId: z.uuid() });
const Query = PageQuery.extend({
  designSystemId: z.uuid().optional(),
  userId: z.uuid().optional(),
  action: z.string().max(100).optional(),
});

/** The activity routes. */
export function activityRoutes({ activity }: Services, registry: OpenApiRegistry) {
  const r = new Routes(registry, '/api/teams/:teamId/activity', 'Activity');
  r.get(
    '/',
    {
      summary: "A team's activity, newest first; filter by design system, user and action",
      params: Params,
      query: Query,
    },
    async ({ actor, params, query }) => {
      const { items, nextCursor } = await activity.list(actor, params.teamId, query);
      return { items: items.map(presentActivity), nextCursor };
    },
  );
  return r;
}
