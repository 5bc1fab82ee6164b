// Converts the acting Actor into the event bus's record of who did something.
import { authorId, type Actor } from '../actor.ts';
import type { EventActor } from './bus.ts';

/** The event-log view of an actor. */
export function eventActor(actor: Actor): EventActor {
  return {
    userId: authorId(actor),
    ...(actor.kind === 'apiKey' ? { apiKeyId: actor.apiKeyId } : {}),
    ...(actor.requestId ? { requestId: actor.requestId } : {}),
  };
}
