// Request shapes of /api/teams/:id/api-keys.
import { z } from 'zod';

export const ApiKeyScope = z.enum(['read', 'write', 'admin']);
export const TeamParams = z.object({ id: z.uuid() });
export const ApiKeyParams = z.object({ id: z.uuid(), keyId: z.uuid() });

export const CreateApiKeyBody = z.object({
  name: z.string().trim().min(1).max(255),
  scopes: z.array(ApiKeyScope).min(1),
  expiresAt: z.iso
    .datetime()
    .transform((s) => new Date(s))
    .refine((d) => d.getTime() > Date.now(), 'must be in the future')
    .optional(),
});
