// GET /api/design-systems/:dsId/presence (seed 001) and DELETE …/components/:id/lock (admins).
import { z } from 'zod';
import type { Services } from '../../services/index.ts';
import type { OpenApiRegistry } from '../openapi/registry.ts';
import { Routes } from '../route.ts';

/** The presence and lock routes. */
export function presenceRoutes({ collaboration }: Services, registry: OpenApiRegistry) {
  const r = new Routes(registry, '/api/design-systems/:dsId', 'Presence');
  r.get(
    '/presence',
    {
      summary: 'Who is in the design system now (one entry per user) and which components are locked',
      params: z.object({ dsId: z.uuid() }),
    },
    async ({ actor, params }) => collaboration.presenceOf(actor, params.dsId),
  );
  r.delete(
    '/components/:id/lock',
    {
      summary: "Break a component's edit lock (admins)",
      params: z.object({ dsId: z.uuid(), id: z.uuid() }),
      status: 204,
    },
    async ({ actor, params }) => {
      await collaboration.breakLock(actor, params.dsId, params.id);
    },
  );
  return r;
}
