// The events a webhook can subscribe to: the domain events worth telling other tools about.
import type { EventName } from '../events/bus.ts';

export const WEBHOOK_EVENTS = [
  'comment.created',
  'comment.updated',
  'comment.deleted',
  'comment.resolved',
  'comment.reopened',
  'reaction.added',
  'component.created',
  'component.updated',
  'component.deleted',
  'component.reverted',
  'component.versionSaved',
  'component.unlocked',
  'tokens.updated',
  'designSystem.created',
  'designSystem.updated',
  'designSystem.deleted',
  'designSystem.published',
  'asset.uploaded',
  'asset.deleted',
  'member.added',
  'member.removed',
  'job.completed',
  'branch.created',
  'branch.closed',
  'branch.deleted',
  'branch.merged',
  'mergeRequest.updated',
] as const satisfies readonly EventName[];

/** Every subscribable name, plus `ping` (the test delivery) and `*` (everything). */
export type WebhookEvent = (typeof WEBHOOK_EVENTS)[number] | 'ping';
