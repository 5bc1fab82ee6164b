// comment-create and reaction-add (seed 001), plus edit, delete, resolve and reaction removal:
// the same services as REST; the room hears about it through the domain-event broadcasts.
import { z } from 'zod';
import { content, CreateCommentBody, emoji } from '../../api/comments/comments.schema.ts';
import { on } from '../bind.ts';

export const commentHandlers = {
  'comment-create': on({
    schema: z.object({ comment: CreateCommentBody }),
    limit: 'default',
    maxBytes: 16 * 1024,
    handle: ({ comment }, socket, hub) => hub.services.comments.create(socket.data.actor, comment),
  }),
  'comment-update': on({
    schema: z.object({ commentId: z.uuid(), content, mentions: z.array(z.uuid()).max(50).optional() }),
    limit: 'default',
    maxBytes: 16 * 1024,
    handle: ({ commentId, content: text, mentions }, socket, hub) =>
      hub.services.comments.update(socket.data.actor, commentId, text, mentions),
  }),
  'comment-delete': on({
    schema: z.object({ commentId: z.uuid() }),
    limit: 'default',
    maxBytes: 512,
    handle: async ({ commentId }, socket, hub) => {
      await hub.services.comments.remove(socket.data.actor, commentId);
    },
  }),
  'comment-resolve': on({
    schema: z.object({ commentId: z.uuid(), resolved: z.boolean().default(true) }),
    limit: 'default',
    maxBytes: 512,
    handle: ({ commentId, resolved }, socket, hub) =>
      hub.services.comments.setResolved(socket.data.actor, commentId, resolved),
  }),
  'reaction-add': on({
    schema: z.object({ commentId: z.uuid(), emoji }),
    limit: 'default',
    maxBytes: 512,
    handle: ({ commentId, emoji: e }, socket, hub) => hub.services.reactions.add(socket.data.actor, commentId, e),
  }),
  'reaction-remove': on({
    schema: z.object({ commentId: z.uuid(), emoji }),
    limit: 'default',
    maxBytes: 512,
    handle: ({ commentId, emoji: e }, socket, hub) => hub.services.reactions.remove(socket.data.actor, commentId, e),
  }),
};
