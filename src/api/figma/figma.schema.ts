// Request shapes of /api/users/me/figma.
import { z } from 'zod';

/** A Figma personal access token (figd_…); checked with Figma before it is stored. */
export const SetFigmaTokenBody = z.object({ token: z.string().trim().min(8).max(512) });

export const FigmaCredentialResponse = z.object({
  connected: z.boolean(),
  figmaUserId: z.string().nullable(),
  handle: z.string().nullable(),
  updatedAt: z.string().nullable(),
});
