// /api/teams/:id/members: list, add, change role, remove or leave.
import { presentMember } from '../../models/presenters/team.presenter.ts';
import type { Services } from '../../services/index.ts';
import type { OpenApiRegistry } from '../openapi/registry.ts';
import { Routes } from '../route.ts';
import { AddMemberBody, ChangeRoleBody, MemberParams, TeamParams } from './teams.schema.ts';

/** The membership routes. */
export function memberRoutes({ members }: Services, registry: OpenApiRegistry) {
  const r = new Routes(registry, '/api/teams/:id/members', 'Teams');

  r.get('/', { summary: 'List members', params: TeamParams }, async ({ actor, params }) => ({
    items: (await members.list(actor, params.id)).map(presentMember),
    nextCursor: null,
  }));
  r.post('/', { summary: 'Add a member by user id or email', params: TeamParams, body: AddMemberBody }, async ({ actor, params, body }) =>
    presentMember(await members.add(actor, params.id, body)),
  );
  r.patch('/:userId', { summary: "Change a member's role", params: MemberParams, body: ChangeRoleBody }, async ({ actor, params, body }) =>
    presentMember(await members.changeRole(actor, params.id, params.userId, body.role)),
  );
  r.delete('/:userId', { summary: 'Remove a member (or leave, for yourself)', params: MemberParams, status: 204 }, async ({ actor, params }) => {
    await members.remove(actor, params.id, params.userId);
  });
  return r;
}
