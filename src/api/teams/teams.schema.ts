// Request shapes of /api/teams and its members.
import { z } from 'zod';

const slug = z
  .string()
  .max(60)
  .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'lowercase letters, digits and single dashes');
export const Role = z.enum(['owner', 'admin', 'editor', 'viewer']);

export const TeamParams = z.object({ id: z.uuid() });
export const MemberParams = z.object({ id: z.uuid(), userId: z.uuid() });

export const CreateTeamBody = z.object({ name: z.string().trim().min(1).max(255), slug: slug.optional() });

export const UpdateTeamBody = z
  .object({ name: z.string().trim().min(1).max(255).optional(), slug: slug.optional() })
  .refine((b) => b.name !== undefined || b.slug !== undefined, { message: 'Give a name or a slug to change' });

export const AddMemberBody = z
  .object({ userId: z.uuid().optional(), email: z.email().optional(), role: Role })
  .refine((b) => (b.userId === undefined) !== (b.email === undefined), {
    message: 'Give exactly one of userId or email',
    path: ['userId'],
  });

export const ChangeRoleBody = z.object({ role: Role });
