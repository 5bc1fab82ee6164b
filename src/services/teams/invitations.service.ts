// Inviting people to a team by email. An invitation is created whether or not an account with that
// address exists, and the answer is the same either way, so the endpoint tells nobody who has an
// account; nobody joins a team without accepting. The person signed in with the address sees their
// invitations (and gets a notification if they already have an account) and accepts or declines.
import type { Db, TeamInvitation, TeamRole } from '../../models/db.ts';
import { AppError, notFound } from '../../utils/errors.ts';
import type { Actor } from '../actor.ts';
import type { SessionCache } from '../auth/session-cache.ts';
import { normaliseEmail } from '../auth/auth.service.ts';
import { eventActor } from '../events/actor.ts';
import type { EventBus } from '../events/bus.ts';
import type { NotificationService } from '../notifications/notifications.service.ts';
import { authorize, requireUser } from '../policy.ts';
import { assertMayGrant } from './members.service.ts';

const INVITATION_TTL_MS = 14 * 24 * 3600_000;

export type InvitationWithTeam = TeamInvitation & { team: { id: string; name: string } };

/** Team invitations by email. */
export class InvitationService {
  private readonly db: Db;
  private readonly events: EventBus;
  private readonly notifications: NotificationService;
  private readonly sessions: SessionCache;

  /** `sessions`: a joining user's cached roles are invalidated before the join is announced. */
  constructor(db: Db, events: EventBus, notifications: NotificationService, sessions: SessionCache) {
    this.db = db;
    this.events = events;
    this.notifications = notifications;
    this.sessions = sessions;
  }

  /** Invites an address (again: the role and expiry are renewed). The same answer whether or not it has an account. */
  async invite(actor: Actor, teamId: string, input: { email: string; role: TeamRole }): Promise<InvitationWithTeam> {
    authorize(actor, 'member:manage', { teamId });
    assertMayGrant(actor, teamId, input.role);
    const email = normaliseEmail(input.email);
    const expiresAt = new Date(Date.now() + INVITATION_TTL_MS);
    const invitation = await this.db.teamInvitation.upsert({
      where: { teamId_email: { teamId, email } },
      create: { teamId, email, role: input.role, expiresAt, invitedById: actor.kind === 'user' ? actor.userId : null },
      update: { role: input.role, expiresAt },
      include: { team: { select: { id: true, name: true } } },
    });
    // Someone who already has an account hears of it now; the inviter learns nothing either way.
    const user = await this.db.user.findUnique({ where: { email }, select: { id: true } });
    if (user) {
      await this.notifications
        .deliver(user.id, teamId, 'team_invitation', {
          invitationId: invitation.id,
          teamId,
          teamName: invitation.team.name,
          role: input.role,
        })
        .catch(() => undefined);
    }
    return invitation;
  }

  /** A team's pending invitations (admins). */
  async listForTeam(actor: Actor, teamId: string): Promise<InvitationWithTeam[]> {
    authorize(actor, 'member:manage', { teamId });
    return this.db.teamInvitation.findMany({
      where: { teamId, expiresAt: { gt: new Date() } },
      include: { team: { select: { id: true, name: true } } },
      orderBy: { createdAt: 'asc' },
    });
  }

  /** Withdraws an invitation (admins). */
  async withdraw(actor: Actor, teamId: string, id: string): Promise<void> {
    authorize(actor, 'member:manage', { teamId });
    const { count } = await this.db.teamInvitation.deleteMany({ where: { id, teamId } });
    if (!count) throw notFound();
  }

  /** The invitations addressed to the signed-in user. */
  async mine(actor: Actor): Promise<InvitationWithTeam[]> {
    const email = await this.emailOf(actor);
    return this.db.teamInvitation.findMany({
      where: { email, expiresAt: { gt: new Date() } },
      include: { team: { select: { id: true, name: true } } },
      orderBy: { createdAt: 'asc' },
    });
  }

  /** Accepts an invitation addressed to the signed-in user: they join with its role. */
  async accept(actor: Actor, id: string): Promise<{ teamId: string; role: TeamRole }> {
    const invitation = await this.addressedTo(actor, id);
    requireUser(actor);
    const userId = actor.userId;
    await this.db.$transaction(async (tx) => {
      await tx.teamInvitation.delete({ where: { id: invitation.id } });
      await tx.teamMember
        .create({ data: { teamId: invitation.teamId, userId, role: invitation.role } })
        .catch((err: unknown) => {
          if ((err as { code?: string }).code === 'P2002') throw new AppError('already_member');
          throw err;
        });
    });
    await this.sessions.invalidate(userId);
    this.events.publish(
      'member.added',
      { teamId: invitation.teamId, userId, role: invitation.role },
      eventActor(actor),
    );
    return { teamId: invitation.teamId, role: invitation.role };
  }

  /** Declines an invitation addressed to the signed-in user. */
  async decline(actor: Actor, id: string): Promise<void> {
    const invitation = await this.addressedTo(actor, id);
    await this.db.teamInvitation.delete({ where: { id: invitation.id } });
  }

  /** An unexpired invitation for the signed-in user's address; anyone else's is `not_found`. */
  private async addressedTo(actor: Actor, id: string): Promise<TeamInvitation> {
    const email = await this.emailOf(actor);
    const invitation = await this.db.teamInvitation.findFirst({ where: { id, email, expiresAt: { gt: new Date() } } });
    if (!invitation) throw notFound();
    return invitation;
  }

  private async emailOf(actor: Actor): Promise<string> {
    requireUser(actor);
    const user = await this.db.user.findUnique({ where: { id: actor.userId }, select: { email: true } });
    if (!user) throw notFound();
    return user.email;
  }
}
