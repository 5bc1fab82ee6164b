// Writes every team-scoped domain event to `activity_log` (batched by ActivityWriter). One
// subscriber, registered at startup.
import type { Db } from '../../models/db.ts';
import type { DomainEvent, EventBus, EventName } from '../events/bus.ts';
import { ActivityWriter, type ActivityWriterOptions } from './activity-writer.ts';

/** Where in the activity log each event lands: the resource it is about. */
const RESOURCE: Partial<Record<EventName, { type: string; id: (p: Record<string, unknown>) => unknown }>> = {
  'team.created': { type: 'team', id: (p) => p.teamId },
  'team.updated': { type: 'team', id: (p) => p.teamId },
  'member.added': { type: 'user', id: (p) => p.userId },
  'member.roleChanged': { type: 'user', id: (p) => p.userId },
  'member.removed': { type: 'user', id: (p) => p.userId },
  'apiKey.created': { type: 'api_key', id: (p) => p.apiKeyId },
  'apiKey.revoked': { type: 'api_key', id: (p) => p.apiKeyId },
  'designSystem.created': { type: 'design_system', id: (p) => p.designSystemId },
  'designSystem.updated': { type: 'design_system', id: (p) => p.designSystemId },
  'designSystem.deleted': { type: 'design_system', id: (p) => p.designSystemId },
  'designSystem.published': { type: 'design_system', id: (p) => p.designSystemId },
  'component.created': { type: 'component', id: (p) => p.componentId },
  'component.updated': { type: 'component', id: (p) => p.componentId },
  'component.deleted': { type: 'component', id: (p) => p.componentId },
  'component.versionSaved': { type: 'component', id: (p) => p.componentId },
  'component.reverted': { type: 'component', id: (p) => p.componentId },
  'tokens.updated': { type: 'design_system', id: (p) => p.designSystemId },
  'asset.uploaded': { type: 'asset', id: (p) => p.assetId },
  'asset.deleted': { type: 'asset', id: (p) => p.assetId },
  'component.unlocked': { type: 'component', id: (p) => p.componentId },
  'comment.created': { type: 'comment', id: (p) => (p.comment as { id: string }).id },
  'comment.updated': { type: 'comment', id: (p) => (p.comment as { id: string }).id },
  'comment.deleted': { type: 'comment', id: (p) => p.commentId },
  'comment.resolved': { type: 'comment', id: (p) => (p.comment as { id: string }).id },
  'comment.reopened': { type: 'comment', id: (p) => (p.comment as { id: string }).id },
  'reaction.added': { type: 'comment', id: (p) => p.commentId },
  'reaction.removed': { type: 'comment', id: (p) => p.commentId },
  'branch.created': { type: 'branch', id: (p) => (p.branch as { id: string }).id },
  'branch.closed': { type: 'branch', id: (p) => (p.branch as { id: string }).id },
  'branch.deleted': { type: 'branch', id: (p) => (p.branch as { id: string }).id },
  'branch.merged': { type: 'branch', id: (p) => (p.branch as { id: string }).id },
  'mergeRequest.updated': { type: 'merge_request', id: (p) => (p.mergeRequest as { id: string }).id },
  'github.syncConflict': { type: 'design_system', id: (p) => p.designSystemId },
};

/**
 * Subscribes the activity log to the bus and returns its writer. Each handler resolves once its row
 * is written (batched with the others of its turn), so `bus.drain()` at shutdown waits for the rows
 * and a row the database refused reaches the bus's onError with its event. A deleted team takes its
 * log with it, so its late events are not logged.
 */
export function subscribeActivityLog(bus: EventBus, db: Db, options?: ActivityWriterOptions): ActivityWriter {
  const writer = new ActivityWriter(db, options);
  for (const [name, resource] of Object.entries(RESOURCE) as [EventName, NonNullable<(typeof RESOURCE)[EventName]>][]) {
    bus.on(name, (event: DomainEvent) => {
      const payload = event.payload as Record<string, unknown> & { teamId: string; designSystemId?: string };
      return writer.write({
        teamId: payload.teamId,
        userId: event.actor.userId,
        apiKeyId: event.actor.apiKeyId ?? null,
        designSystemId: payload.designSystemId ?? null,
        action: event.name,
        resourceType: resource.type,
        resourceId: String(resource.id(payload)),
        metadata: payload,
        requestId: event.actor.requestId ?? null,
        createdAt: event.at,
      });
    });
  }
  return writer;
}
