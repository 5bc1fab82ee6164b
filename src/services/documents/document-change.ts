// What a change to a live document is, where it came from and whom the document belongs to; the
// checks a client update must pass, and the refusals whose outcome the sender is shown.
import type { ErrorCode } from '../../utils/errors.ts';
import type { Actor } from '../actor.ts';
import type { DocumentName } from './document-names.ts';

/** The design system and team a document belongs to. */
export interface DocumentOwner {
  teamId: string;
  designSystemId: string;
}

/** Where a change came from; listeners use it to skip echoing a change back to its sender. */
export interface ChangeOrigin {
  actor: Actor | null;
  /** `remote`: applied here because another node made it durable; `system`: the server's own (compensations, repairs). */
  source: 'rest' | 'socket' | 'yjs' | 'system' | 'remote';
  connectionId?: string;
  /** When the change reached the server (fan-out latency is measured from here). */
  receivedAt?: number;
}

export interface DocumentChange {
  name: string;
  parsed: DocumentName;
  owner: DocumentOwner;
  update: Uint8Array;
  origin: ChangeOrigin;
}

/** A check every client update must pass (component locks, branch rules); it throws the refusal. */
export type WriteGuard = (actor: Actor, name: DocumentName, owner: DocumentOwner) => Promise<void>;

/** Refusals the sender may see the outcome of: the update is integrated and reverted for everyone. */
export const COMPENSATED: ReadonlySet<ErrorCode> = new Set([
  'forbidden',
  'insufficient_scope',
  'user_required',
  'locked',
  'update_too_large',
  'validation_failed',
  'conflict',
  'invalid_tokens',
  'branch_read_only',
  'main_protected',
]);
