// /api/teams/:id/members: list, add (by id) or invite (by email), change role, remove or leave;
// /api/teams/:id/invitations for admins and /api/invitations for the invitee.
import { z } from 'zod';
import { presentInvitation, presentMember } from '../../models/presenters/team.presenter.ts';
import type { Services } from '../../services/index.ts';
import type { OpenApiRegistry } from '../openapi/registry.ts';
import { Routes } from '../route.ts';
import { AddMemberBody, ChangeRoleBody, MemberParams, TeamParams } from './teams.schema.ts';

/** The membership routes. */
export function memberRoutes({ members, invitations }: Services, registry: OpenApiRegistry) {
  const r = new Routes(registry, '/api/teams/:id/members', 'Teams');

  r.get('/', { summary: 'List members', params: TeamParams }, async ({ actor, params }) => ({
    items: (await members.list(actor, params.id)).map(presentMember),
    nextCursor: null,
  }));
  r.post(
    '/',
    {
      summary:
        'Add a member by user id (201), or invite an email address (202, the same whether or not it has an account; they join by accepting)',
      params: TeamParams,
      body: AddMemberBody,
    },
    async ({ actor, params, body, res }) => {
      if (body.userId)
        return presentMember(await members.add(actor, params.id, { userId: body.userId, role: body.role }));
      res.status(202);
      return {
        invitation: presentInvitation(
          await invitations.invite(actor, params.id, { email: body.email as string, role: body.role }),
        ),
      };
    },
  );
  r.patch(
    '/:userId',
    { summary: "Change a member's role", params: MemberParams, body: ChangeRoleBody },
    async ({ actor, params, body }) =>
      presentMember(await members.changeRole(actor, params.id, params.userId, body.role)),
  );
  r.delete(
    '/:userId',
    { summary: 'Remove a member (or leave, for yourself)', params: MemberParams, status: 204 },
    async ({ actor, params }) => {
      await members.remove(actor, params.id, params.userId);
    },
  );
  return r;
}

const InvitationParams = z.object({ id: z.uuid(), invitationId: z.uuid() });
const MyInvitationParams = z.object({ id: z.uuid() });

/** Pending invitations: a team's (admins) and the signed-in user's own. */
export function invitationRoutes({ invitations }: Services, registry: OpenApiRegistry) {
  const team = new Routes(registry, '/api/teams/:id/invitations', 'Teams');
  team.get('/', { summary: "A team's pending invitations", params: TeamParams }, async ({ actor, params }) => ({
    items: (await invitations.listForTeam(actor, params.id)).map(presentInvitation),
    nextCursor: null,
  }));
  team.delete(
    '/:invitationId',
    { summary: 'Withdraw an invitation', params: InvitationParams, status: 204 },
    async ({ actor, params }) => {
      await invitations.withdraw(actor, params.id, params.invitationId);
    },
  );
  const mine = new Routes(registry, '/api/invitations', 'Teams');
  mine.get('/', { summary: 'Invitations addressed to me' }, async ({ actor }) => ({
    items: (await invitations.mine(actor)).map(presentInvitation),
    nextCursor: null,
  }));
  mine.post(
    '/:id/accept',
    { summary: 'Accept an invitation: join the team with its role', params: MyInvitationParams, status: 200 },
    async ({ actor, params }) => invitations.accept(actor, params.id),
  );
  mine.post(
    '/:id/decline',
    { summary: 'Decline an invitation', params: MyInvitationParams, status: 204 },
    async ({ actor, params }) => {
      await invitations.decline(actor, params.id);
    },
  );
  return [team, mine];
}
