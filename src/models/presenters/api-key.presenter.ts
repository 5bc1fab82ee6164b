// Row → API JSON for API keys: never the secret or its hash.
import type { ApiKey } from '../db.ts';

export interface ApiKeyJson {
  id: string;
  teamId: string;
  name: string;
  prefix: string;
  scopes: string[];
  createdById: string | null;
  createdAt: string;
  lastUsedAt: string | null;
  expiresAt: string | null;
  revokedAt: string | null;
}

/** The public view of an API key. */
export function presentApiKey(key: ApiKey): ApiKeyJson {
  return {
    id: key.id,
    teamId: key.teamId,
    name: key.name,
    prefix: key.prefix,
    scopes: key.scopes,
    createdById: key.createdById,
    createdAt: key.createdAt.toISOString(),
    lastUsedAt: key.lastUsedAt?.toISOString() ?? null,
    expiresAt: key.expiresAt?.toISOString() ?? null,
    revokedAt: key.revokedAt?.toISOString() ?? null,
  };
}
