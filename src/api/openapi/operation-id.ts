// operationIds derived from method and path, so they are unique (one route per method and path),
// stable (they change only when the path does) and need no bookkeeping per route:
// `GET /api/auth/me` → `getAuthMe`, `DELETE /api/comments/:id/reactions/:emoji` →
// `deleteCommentsByIdReactionsByEmoji`.
import type { Method } from './registry.ts';

const pascal = (word: string) =>
  word
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((w) => w[0]?.toUpperCase() + w.slice(1))
    .join('');

/** The operationId of an Express-style path (`/api/teams/:id`) under a method. */
export function operationId(method: Method, path: string): string {
  const segments = path.split('/').filter((s) => s && s !== 'api');
  return method + segments.map((s) => (s.startsWith(':') ? `By${pascal(s.slice(1))}` : pascal(s))).join('');
}
