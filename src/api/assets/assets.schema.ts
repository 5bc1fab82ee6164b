// Request shapes of /api/design-systems/:dsId/assets.
import { z } from 'zod';

export const DsParams = z.object({ dsId: z.uuid() });
export const AssetParams = z.object({ dsId: z.uuid(), assetId: z.uuid() });
