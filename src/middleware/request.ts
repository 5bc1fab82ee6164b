// Express request augmentation: the resolved actor and the request id travel on the request.
import type { Actor } from '../services/actor.ts';

declare global {
  namespace Express {
    interface Request {
      actor?: Actor;
    }
    interface Locals {
      /** The route pattern that matched, for metrics labels. */
      route?: string;
    }
  }
}
