// Request shapes of /api/design-systems.
import { z } from 'zod';
import { PageQuery } from '../pagination.schema.ts';

const semver = z
  .string()
  .regex(/^\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?$/, 'must be a semantic version like 1.2.3');

export const DsParams = z.object({ id: z.uuid() });

export const CreateDsBody = z.object({
  teamId: z.uuid(),
  name: z.string().trim().min(1).max(255),
  version: semver.optional(),
  description: z.string().max(10_000).optional(),
});

export const UpdateDsBody = z
  .object({
    name: z.string().trim().min(1).max(255).optional(),
    version: semver.optional(),
    description: z.string().max(10_000).optional(),
  })
  .refine((b) => Object.values(b).some((v) => v !== undefined), { message: 'Give at least one field to change' });

export const ListDsQuery = PageQuery.extend({ teamId: z.uuid().optional() });
