// Reading a team's activity feed, newest first, filtered by design system, user and action.
import type { ActivityLog, Db } from '../../models/db.ts';
import { afterCursor, page } from '../../utils/cursor.ts';
import type { Actor } from '../actor.ts';
import type { ActivityWriter } from './activity-writer.ts';
import { authorize } from '../policy.ts';

export interface ActivityQuery {
  designSystemId?: string | undefined;
  userId?: string | undefined;
  action?: string | undefined;
  limit: number;
  cursor?: string | undefined;
}

/** The activity feed. */
export class ActivityService {
  private readonly db: Db;
  private readonly writer: ActivityWriter | undefined;

  /** `writer`: this node's activity writer, whose queued rows a read waits for. */
  constructor(db: Db, writer?: ActivityWriter) {
    this.db = db;
    this.writer = writer;
  }

  /** A page of a team's activity. */
  async list(
    actor: Actor,
    teamId: string,
    query: ActivityQuery,
  ): Promise<{ items: ActivityLog[]; nextCursor: string | null }> {
    authorize(actor, 'activity:read', { teamId });
    // Rows are written in batches after the response: a client reading the feed right after its
    // write would otherwise race its own row (on this node; other nodes' rows are eventual).
    await this.writer?.flushed();
    const rows = await this.db.activityLog.findMany({
      where: {
        teamId,
        ...(query.designSystemId ? { designSystemId: query.designSystemId } : {}),
        ...(query.userId ? { userId: query.userId } : {}),
        ...(query.action ? { action: query.action } : {}),
        ...afterCursor(query.cursor, 'desc'),
      },
      orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
      take: query.limit + 1,
    });
    return page(rows, query.limit);
  }
}
