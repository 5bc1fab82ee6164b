// GDPR: a user can export everything about them and delete their account (their comments stay, as
// a "deleted user"; their personal data goes); a team owner can export a whole team.
import type { Db } from '../../models/db.ts';
import { AppError, notFound } from '../../utils/errors.ts';
import type { Actor } from '../actor.ts';
import type { SessionCache } from '../auth/session-cache.ts';
import type { ExportService } from '../design-systems/export.service.ts';
import { eventActor } from '../events/actor.ts';
import type { EventBus } from '../events/bus.ts';
import { authorize, requireUser } from '../policy.ts';

const iso = (d: Date | null | undefined) => d?.toISOString() ?? null;

/** Data exports and erasure. */
export class PrivacyService {
  private readonly db: Db;
  private readonly events: EventBus;
  private readonly exports: ExportService;
  private readonly sessions: SessionCache;

  /** `sessions`: a deleted user's cached sessions are invalidated on every node. */
  constructor(db: Db, events: EventBus, exports: ExportService, sessions: SessionCache) {
    this.db = db;
    this.events = events;
    this.exports = exports;
    this.sessions = sessions;
  }

  /** Everything stored about the acting user, as one JSON document. */
  async exportUser(actor: Actor) {
    requireUser(actor);
    const id = actor.userId;
    const user = await this.db.user.findUnique({ where: { id } });
    if (!user) throw notFound();
    const [
      memberships,
      comments,
      reactions,
      notifications,
      presence,
      activity,
      sessions,
      apiKeys,
      preferences,
      identities,
      figma,
    ] = await Promise.all([
      this.db.teamMember.findMany({
        where: { userId: id },
        include: { team: { select: { id: true, name: true, slug: true } } },
      }),
      this.db.comment.findMany({ where: { userId: id }, orderBy: { createdAt: 'asc' } }),
      this.db.reaction.findMany({ where: { userId: id }, orderBy: { createdAt: 'asc' } }),
      this.db.notification.findMany({ where: { userId: id }, orderBy: { createdAt: 'asc' } }),
      this.db.userPresence.findMany({ where: { userId: id } }),
      this.db.activityLog.findMany({ where: { userId: id }, orderBy: { createdAt: 'asc' } }),
      this.db.refreshToken.findMany({ where: { userId: id }, orderBy: { createdAt: 'asc' } }),
      this.db.apiKey.findMany({ where: { createdById: id } }),
      this.db.notificationPreference.findUnique({ where: { userId: id } }),
      this.db.userIdentity.findMany({ where: { userId: id }, orderBy: { createdAt: 'asc' } }),
      this.db.figmaCredential.findUnique({ where: { userId: id } }),
    ]);
    return {
      format: 'ensemble.user-export/1',
      exportedAt: new Date().toISOString(),
      user: {
        id: user.id,
        email: user.email,
        name: user.name,
        handle: user.handle,
        avatarUrl: user.avatarUrl,
        githubLinked: user.githubId !== null,
        createdAt: iso(user.createdAt),
        updatedAt: iso(user.updatedAt),
      },
      signInIdentities: identities.map((i) => ({
        provider: i.provider,
        issuer: i.issuer,
        subject: i.subject,
        email: i.email,
        createdAt: iso(i.createdAt),
        lastUsedAt: iso(i.lastUsedAt),
      })),
      // The Figma account a token is set for; the token itself is a secret and never exported.
      figma: figma && {
        figmaUserId: figma.figmaUserId,
        handle: figma.figmaHandle,
        createdAt: iso(figma.createdAt),
        updatedAt: iso(figma.updatedAt),
      },
      memberships: memberships.map((m) => ({ team: m.team, role: m.role, joinedAt: iso(m.joinedAt) })),
      comments: comments.map((c) => ({
        id: c.id,
        resourceType: c.resourceType,
        resourceId: c.resourceId,
        parentId: c.parentId,
        content: c.content,
        resolved: c.resolved,
        createdAt: iso(c.createdAt),
        editedAt: iso(c.editedAt),
        deletedAt: iso(c.deletedAt),
      })),
      reactions: reactions.map((r) => ({ commentId: r.commentId, emoji: r.emoji, createdAt: iso(r.createdAt) })),
      notifications: notifications.map((n) => ({
        type: n.type,
        payload: n.payload,
        readAt: iso(n.readAt),
        createdAt: iso(n.createdAt),
      })),
      notificationPreferences: preferences
        ? { mentionsOnly: preferences.mentionsOnly, mutedThreads: preferences.mutedThreads }
        : null,
      presence: presence.map((p) => ({
        designSystemId: p.designSystemId,
        status: p.status,
        lastSeen: iso(p.lastSeen),
      })),
      activity: activity.map((a) => ({
        teamId: a.teamId,
        action: a.action,
        resourceType: a.resourceType,
        resourceId: a.resourceId,
        createdAt: iso(a.createdAt),
      })),
      sessions: sessions.map((s) => ({
        userAgent: s.userAgent,
        createdAt: iso(s.createdAt),
        expiresAt: iso(s.expiresAt),
        revokedAt: iso(s.revokedAt),
      })),
      apiKeysCreated: apiKeys.map((k) => ({
        id: k.id,
        teamId: k.teamId,
        name: k.name,
        prefix: k.prefix,
        scopes: k.scopes,
        createdAt: iso(k.createdAt),
        revokedAt: iso(k.revokedAt),
      })),
    };
  }

  /**
   * Deletes the acting user's account. Their comments stay as written, shown as a deleted user;
   * their profile, sessions, memberships, reactions, notifications and presence go. Refused while
   * they are the last owner of a team (hand it over or delete it first).
   */
  async deleteUser(actor: Actor, confirmEmail: string): Promise<void> {
    requireUser(actor);
    const user = await this.db.user.findUnique({ where: { id: actor.userId }, include: { memberships: true } });
    if (!user) throw notFound();
    if (confirmEmail.trim().toLowerCase() !== user.email) {
      throw new AppError('validation_failed', 'Type your email address to confirm', [
        { path: 'confirmEmail', code: 'mismatch', message: 'This is not your email address' },
      ]);
    }
    const owned = user.memberships.filter((m) => m.role === 'owner').map((m) => m.teamId);
    const lastOwner: string[] = [];
    for (const teamId of owned)
      if ((await this.db.teamMember.count({ where: { teamId, role: 'owner' } })) <= 1) lastOwner.push(teamId);
    if (lastOwner.length)
      throw new AppError('last_owner', 'You are the last owner of some teams: hand them over or delete them first', {
        teams: lastOwner,
      });
    await this.db.user.delete({ where: { id: user.id } });
    await this.sessions.invalidate(user.id);
    // Open connections re-check their credentials and close.
    for (const m of user.memberships)
      this.events.publish('member.removed', { teamId: m.teamId, userId: user.id }, eventActor(actor));
  }

  /** A whole team as JSON (owners only): members, design systems with content, threads, activity. */
  async exportTeam(actor: Actor, teamId: string) {
    authorize(actor, 'team:delete', { teamId });
    const team = await this.db.team.findUnique({ where: { id: teamId } });
    if (!team) throw notFound();
    const [members, designSystems, comments, activity, webhooks, assets] = await Promise.all([
      this.db.teamMember.findMany({
        where: { teamId },
        include: { user: { select: { id: true, name: true, email: true, handle: true } } },
      }),
      this.db.designSystem.findMany({ where: { teamId }, select: { id: true } }),
      this.db.comment.findMany({ where: { teamId }, include: { reactions: true }, orderBy: { createdAt: 'asc' } }),
      this.db.activityLog.findMany({ where: { teamId }, orderBy: { createdAt: 'asc' } }),
      this.db.webhook.findMany({ where: { teamId } }),
      this.db.asset.findMany({ where: { teamId } }),
    ]);
    return {
      format: 'ensemble.team-export/1',
      exportedAt: new Date().toISOString(),
      team: { id: team.id, name: team.name, slug: team.slug, createdAt: iso(team.createdAt) },
      members: members.map((m) => ({ user: m.user, role: m.role, joinedAt: iso(m.joinedAt) })),
      designSystems: await Promise.all(designSystems.map((ds) => this.exports.designSystem(actor, ds.id))),
      comments: comments.map((c) => ({
        id: c.id,
        designSystemId: c.designSystemId,
        resourceType: c.resourceType,
        resourceId: c.resourceId,
        parentId: c.parentId,
        userId: c.userId,
        content: c.deletedAt ? null : c.content,
        resolved: c.resolved,
        createdAt: iso(c.createdAt),
        reactions: c.reactions.map((r) => ({ userId: r.userId, emoji: r.emoji })),
      })),
      activity: activity.map((a) => ({
        userId: a.userId,
        apiKeyId: a.apiKeyId,
        action: a.action,
        resourceType: a.resourceType,
        resourceId: a.resourceId,
        metadata: a.metadata,
        createdAt: iso(a.createdAt),
      })),
      webhooks: webhooks.map((w) => ({ id: w.id, url: w.url, events: w.events, active: w.active })),
      assets: assets.map((a) => ({
        id: a.id,
        designSystemId: a.designSystemId,
        filename: a.filename,
        contentType: a.contentType,
        size: a.size,
        checksum: a.checksum,
      })),
    };
  }
}
