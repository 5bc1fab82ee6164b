// Request shapes of /api/comments (seed 001 paths).
import { z } from 'zod';
import { PageQuery } from '../pagination.schema.ts';

/** A merge request's threads are these comments too (docs/branches.md); its own route adds diff anchors. */
const resourceType = z.enum(['component', 'token', 'designSystem', 'mergeRequest']);
/** Comment bodies: Markdown, stored as written. */
export const content = z.string().trim().min(1, 'A comment needs some text').max(10_000);
/** One emoji (with modifiers and ZWJ sequences), nothing else. */
export const emoji = z
  .string()
  .min(1)
  .max(64)
  .regex(/^(?:\p{Extended_Pictographic}|\p{Emoji_Component}|\u200d|\ufe0f)+$/u, 'must be an emoji')
  .describe('One emoji, with modifiers and ZWJ sequences allowed');

export const CommentParams = z.object({ id: z.uuid() });
export const ReactionParams = z.object({ id: z.uuid(), emoji });

export const ListCommentsQuery = PageQuery.extend({
  resourceType,
  resourceId: z.uuid(),
  status: z.enum(['open', 'resolved', 'all']).default('all'),
});

export const CreateCommentBody = z.object({
  resourceType,
  resourceId: z.uuid(),
  content,
  parentId: z.uuid().optional(),
  anchor: z
    .object({ offset: z.number().int().min(0), length: z.number().int().min(0).max(100_000).default(0) })
    .optional(),
  mentions: z.array(z.uuid()).max(50).optional(),
});

export const UpdateCommentBody = z.object({ content, mentions: z.array(z.uuid()).max(50).optional() });
export const ResolveBody = z.object({ resolved: z.boolean().default(true) });
export const ReactionBody = z.object({ emoji });
