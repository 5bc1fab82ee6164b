// Team membership: add by user id or email, change roles, remove or leave. Owners are protected:
// only an owner can grant, change or remove ownership, and a team always keeps one owner.
import type { Db, TeamMember, TeamRole, User } from '../../models/db.ts';
import { AppError, notFound } from '../../utils/errors.ts';
import type { Actor } from '../actor.ts';
import type { SessionCache } from '../auth/session-cache.ts';
import { eventActor } from '../events/actor.ts';
import type { EventBus } from '../events/bus.ts';
import { authorize } from '../policy.ts';

export type MemberWithUser = TeamMember & { user: User };

/** Only owners may hand out or take away ownership, and only people (never API keys) the admin role. */
export function assertMayGrant(actor: Actor, teamId: string, role: TeamRole): void {
  if (role === 'owner')
    authorize(actor, 'member:manageOwners', { teamId }, 'Only an owner can grant, change or remove ownership');
  if (role === 'admin')
    authorize(
      actor,
      'member:manageAdmins',
      { teamId },
      'Only a signed-in admin can grant, change or remove the admin role',
    );
}

/** Membership management for teams. */
export class MemberService {
  private readonly db: Db;
  private readonly events: EventBus;
  private readonly sessions: SessionCache;

  /** `sessions`: the member's cached roles are invalidated after each change, before it is announced. */
  constructor(db: Db, events: EventBus, sessions: SessionCache) {
    this.db = db;
    this.events = events;
    this.sessions = sessions;
  }

  /** Members of a team, owners first. */
  async list(actor: Actor, teamId: string): Promise<MemberWithUser[]> {
    authorize(actor, 'member:read', { teamId });
    const members = await this.db.teamMember.findMany({
      where: { teamId },
      include: { user: true },
      orderBy: { joinedAt: 'asc' },
    });
    const order: Record<TeamRole, number> = { owner: 0, admin: 1, editor: 2, viewer: 3 };
    return members.sort((a, b) => order[a.role] - order[b.role]);
  }

  /** Adds an existing user, by id, to the team (by email: InvitationService). */
  async add(actor: Actor, teamId: string, input: { userId: string; role: TeamRole }): Promise<MemberWithUser> {
    authorize(actor, 'member:manage', { teamId });
    this.assertMayGrant(actor, teamId, input.role);
    const user = await this.db.user.findUnique({ where: { id: input.userId } });
    if (!user) throw new AppError('not_found', 'No user with that id');
    const member = await this.db.teamMember
      .create({ data: { teamId, userId: user.id, role: input.role }, include: { user: true } })
      .catch((err: unknown) => {
        if ((err as { code?: string }).code === 'P2002') throw new AppError('already_member');
        throw err;
      });
    await this.sessions.invalidate(user.id);
    this.events.publish('member.added', { teamId, userId: user.id, role: input.role }, eventActor(actor));
    return member;
  }

  /** Changes a member's role; the last owner cannot be demoted. */
  async changeRole(actor: Actor, teamId: string, userId: string, role: TeamRole): Promise<MemberWithUser> {
    authorize(actor, 'member:manage', { teamId });
    const member = await this.find(teamId, userId);
    if (member.role === role) return member;
    this.assertMayGrant(actor, teamId, role);
    this.assertMayGrant(actor, teamId, member.role);
    const updated = await this.db.$transaction(async (tx) => {
      if (member.role === 'owner') await this.assertAnotherOwner(tx, teamId);
      return tx.teamMember.update({
        where: { teamId_userId: { teamId, userId } },
        data: { role },
        include: { user: true },
      });
    });
    await this.sessions.invalidate(userId);
    this.events.publish('member.roleChanged', { teamId, userId, from: member.role, to: role }, eventActor(actor));
    return updated;
  }

  /** Removes a member, or lets a member leave; the last owner cannot go. */
  async remove(actor: Actor, teamId: string, userId: string): Promise<void> {
    const leaving = actor.kind === 'user' && actor.userId === userId;
    authorize(actor, leaving ? 'member:read' : 'member:manage', { teamId });
    const member = await this.find(teamId, userId);
    if (!leaving) this.assertMayGrant(actor, teamId, member.role);
    await this.db.$transaction(async (tx) => {
      if (member.role === 'owner') await this.assertAnotherOwner(tx, teamId);
      await tx.teamMember.delete({ where: { teamId_userId: { teamId, userId } } });
    });
    await this.sessions.invalidate(userId);
    this.events.publish('member.removed', { teamId, userId }, eventActor(actor));
  }

  private async find(teamId: string, userId: string): Promise<MemberWithUser> {
    const member = await this.db.teamMember.findUnique({
      where: { teamId_userId: { teamId, userId } },
      include: { user: true },
    });
    if (!member) throw notFound();
    return member;
  }

  private assertMayGrant(actor: Actor, teamId: string, role: TeamRole): void {
    assertMayGrant(actor, teamId, role);
  }

  /** Locks the team's owner rows and fails unless another owner remains. */
  private async assertAnotherOwner(tx: Pick<Db, '$queryRaw'>, teamId: string): Promise<void> {
    const owners = await tx.$queryRaw<{ user_id: string }[]>`
      SELECT user_id FROM team_members WHERE team_id = ${teamId}::uuid AND role = 'owner' FOR UPDATE`;
    if (owners.length <= 1) throw new AppError('last_owner');
  }
}
