// Row → API JSON for activity entries.
import type { ActivityLog } from '../db.ts';

/** The public view of an activity entry. */
export function presentActivity(a: ActivityLog) {
  return {
    id: a.id,
    teamId: a.teamId,
    designSystemId: a.designSystemId,
    userId: a.userId,
    apiKeyId: a.apiKeyId,
    action: a.action,
    resourceType: a.resourceType,
    resourceId: a.resourceId,
    metadata: a.metadata,
    createdAt: a.createdAt.toISOString(),
  };
}
