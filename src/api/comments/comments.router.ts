// /api/comments: threads, replies, edits, deletion, resolve/reopen and reactions (seed 001 paths).
import type { Services } from '../../services/index.ts';
import type { OpenApiRegistry } from '../openapi/registry.ts';
import { Routes } from '../route.ts';
import {
  CommentParams,
  CreateCommentBody,
  ListCommentsQuery,
  ReactionBody,
  ReactionParams,
  ResolveBody,
  UpdateCommentBody,
} from './comments.schema.ts';

/** The comment routes. */
export function commentRoutes({ comments, reactions }: Services, registry: OpenApiRegistry) {
  const r = new Routes(registry, '/api/comments', 'Comments');

  r.get(
    '/',
    { summary: 'Threads on a resource, with replies and reactions; filter open/resolved', query: ListCommentsQuery },
    ({ actor, query }) =>
      comments.threads(actor, {
        resourceType: query.resourceType,
        resourceId: query.resourceId,
        status: query.status,
        limit: query.limit,
        cursor: query.cursor,
      }),
  );
  r.post(
    '/',
    {
      summary: 'Comment on a component, token or design system, or reply (parentId); optional code anchor and mentions',
      body: CreateCommentBody,
    },
    ({ actor, body }) => comments.create(actor, body),
  );
  r.get('/:id', { summary: 'One comment', params: CommentParams }, ({ actor, params }) =>
    comments.get(actor, params.id),
  );
  r.put(
    '/:id',
    { summary: 'Edit your comment', params: CommentParams, body: UpdateCommentBody },
    ({ actor, params, body }) => comments.update(actor, params.id, body.content, body.mentions),
  );
  r.delete(
    '/:id',
    { summary: 'Delete a comment (author or admin)', params: CommentParams, status: 204 },
    async ({ actor, params }) => {
      await comments.remove(actor, params.id);
    },
  );
  r.post(
    '/:id/resolve',
    {
      summary: 'Resolve a thread (or reopen it with { resolved: false })',
      params: CommentParams,
      body: ResolveBody,
      status: 200,
    },
    ({ actor, params, body }) => comments.setResolved(actor, params.id, body.resolved),
  );
  r.post(
    '/:id/reopen',
    { summary: 'Reopen a resolved thread', params: CommentParams, status: 200 },
    ({ actor, params }) => comments.setResolved(actor, params.id, false),
  );
  r.post(
    '/:id/reactions',
    {
      summary: 'React with an emoji (once per user and emoji)',
      params: CommentParams,
      body: ReactionBody,
      status: 200,
    },
    ({ actor, params, body }) => reactions.add(actor, params.id, body.emoji),
  );
  r.delete(
    '/:id/reactions/:emoji',
    { summary: 'Remove your reaction', params: ReactionParams, status: 200 },
    ({ actor, params }) => reactions.remove(actor, params.id, params.emoji),
  );
  return r;
}
