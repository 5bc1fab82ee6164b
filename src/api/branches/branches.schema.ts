// Request shapes of /api/design-systems/:id/branches, its merge requests, and /api/teams/:teamId/branch-settings.
import { z } from 'zod';
import { content } from '../comments/comments.schema.ts';

/** A branch name: letters, digits, `.`, `_`, `-`; `main` is the design system itself. */
export const branchName = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/, 'letters, digits, ".", "_" and "-", at most 100')
  .refine((n) => n.toLowerCase() !== 'main', 'main is the design system itself');

export const DsBranchesParams = z.object({ id: z.uuid() });
/** `branch` is the branch's id or name. */
export const BranchParams = z.object({ id: z.uuid(), branch: z.string().min(1).max(100) });
export const MergeRequestParams = BranchParams.extend({ mr: z.uuid() });
export const TeamParams = z.object({ teamId: z.uuid() });

export const CreateBranchBody = z.object({
  name: branchName,
  /** Fork from another open branch (its name or id) instead of main; the branch then merges into it. */
  from: z.string().min(1).max(100).optional(),
});
export const ListBranchesQuery = z.object({ status: z.enum(['open', 'merged', 'closed']).optional() });

export const OpenMergeRequestBody = z.object({
  title: z.string().trim().min(1).max(255),
  description: z.string().max(20_000).optional(),
});
export const ApprovalBody = z.object({ approved: z.boolean().default(true) });
export const MergeBody = z.object({
  /** Conflict id (from the diff) → `ours` (keep main's value) or `theirs` (take the branch's). */
  resolutions: z.record(z.string().min(1).max(1000), z.enum(['ours', 'theirs'])).default({}),
});
export const MergeRequestCommentBody = z.object({
  content,
  parentId: z.uuid().optional(),
  /** The diff entry (or conflict) id the comment is about. */
  entry: z.string().min(1).max(1000).optional(),
  mentions: z.array(z.uuid()).max(50).optional(),
});

export const BranchSettingsBody = z
  .object({ requiredApprovals: z.number().int().min(0).max(20).optional(), protectMain: z.boolean().optional() })
  .refine(
    (b) => b.requiredApprovals !== undefined || b.protectMain !== undefined,
    'Give requiredApprovals or protectMain',
  );
