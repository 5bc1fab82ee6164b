// /api/teams: team CRUD (seed 001 paths).
import { presentTeam } from '../../models/presenters/team.presenter.ts';
import type { Services } from '../../services/index.ts';
import type { OpenApiRegistry } from '../openapi/registry.ts';
import { Routes } from '../route.ts';
import { CreateTeamBody, TeamParams, UpdateTeamBody } from './teams.schema.ts';

/** The team routes. */
export function teamRoutes({ teams, privacy }: Services, registry: OpenApiRegistry) {
  const r = new Routes(registry, '/api/teams', 'Teams');

  r.get('/', { summary: "List the caller's teams" }, async ({ actor }) => ({
    items: (await teams.list(actor)).map((t) => presentTeam(t, t.role)),
    nextCursor: null,
  }));
  r.post(
    '/',
    { summary: 'Create a team (the caller becomes owner)', body: CreateTeamBody },
    async ({ actor, body }) => {
      const team = await teams.create(actor, body);
      return presentTeam(team, team.role);
    },
  );
  r.get('/:id', { summary: 'Get a team', params: TeamParams }, async ({ actor, params }) => {
    const team = await teams.get(actor, params.id);
    return presentTeam(team, team.role);
  });
  r.put(
    '/:id',
    { summary: 'Rename a team or change its slug', params: TeamParams, body: UpdateTeamBody },
    async ({ actor, params, body }) => {
      const team = await teams.update(actor, params.id, body);
      return presentTeam(team, team.role);
    },
  );
  r.delete(
    '/:id',
    { summary: 'Delete a team and everything in it', params: TeamParams, status: 204 },
    async ({ actor, params }) => {
      await teams.remove(actor, params.id);
    },
  );
  r.get('/:id/export', { summary: 'The whole team as JSON (owners; GDPR)', params: TeamParams }, ({ actor, params }) =>
    privacy.exportTeam(actor, params.id),
  );
  return r;
}
