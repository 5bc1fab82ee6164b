// Emoji reactions on comments: unique per user and emoji; counts with who reacted.
import type { Db } from '../../models/db.ts';
import { AppError, notFound } from '../../utils/errors.ts';
import type { Actor } from '../actor.ts';
import { eventActor } from '../events/actor.ts';
import type { EventBus } from '../events/bus.ts';
import { authorize, requireUser } from '../policy.ts';
import { summariseReactions } from './comment-view.ts';
import type { CommentService } from './comments.service.ts';

/** Adds and removes reactions. */
export class ReactionService {
  private readonly db: Db;
  private readonly events: EventBus;
  private readonly comments: CommentService;

  constructor(db: Db, events: EventBus, comments: CommentService) {
    this.db = db;
    this.events = events;
    this.comments = comments;
  }

  /** Adds the actor's reaction (idempotent); returns the comment's reactions. */
  async add(actor: Actor, commentId: string, emoji: string) {
    requireUser(actor);
    const comment = await this.comments.find(actor, commentId);
    if (comment.deletedAt) throw notFound();
    authorize(actor, 'comment:write', comment);
    const created = await this.db.reaction
      .create({ data: { commentId, userId: actor.userId, emoji } })
      .then(() => true)
      .catch((err: unknown) => {
        if ((err as { code?: string }).code === 'P2002') return false;
        throw err;
      });
    if (created)
      this.events.publish(
        'reaction.added',
        { teamId: comment.teamId, designSystemId: comment.designSystemId, commentId, emoji, userId: actor.userId },
        eventActor(actor),
      );
    return this.summary(commentId);
  }

  /** Removes the actor's reaction; `not_found` when there was none. */
  async remove(actor: Actor, commentId: string, emoji: string) {
    requireUser(actor);
    const comment = await this.comments.find(actor, commentId);
    const { count } = await this.db.reaction.deleteMany({ where: { commentId, userId: actor.userId, emoji } });
    if (!count) throw new AppError('not_found', 'You did not react with that emoji');
    this.events.publish(
      'reaction.removed',
      { teamId: comment.teamId, designSystemId: comment.designSystemId, commentId, emoji, userId: actor.userId },
      eventActor(actor),
    );
    return this.summary(commentId);
  }

  private async summary(commentId: string) {
    return { commentId, reactions: summariseReactions(await this.db.reaction.findMany({ where: { commentId } })) };
  }
}
