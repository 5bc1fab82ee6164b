// /api/teams/:id/api-keys: create (secret shown once), list, revoke.
import { presentApiKey } from '../../models/presenters/api-key.presenter.ts';
import type { Services } from '../../services/index.ts';
import type { OpenApiRegistry } from '../openapi/registry.ts';
import { Routes } from '../route.ts';
import { ApiKeyParams, CreateApiKeyBody, TeamParams } from './api-keys.schema.ts';

/** The API key routes. */
export function apiKeyRoutes({ apiKeys }: Services, registry: OpenApiRegistry) {
  const r = new Routes(registry, '/api/teams/:id/api-keys', 'API keys');

  r.post(
    '/',
    {
      summary: 'Create an API key; the secret is shown only in this response',
      params: TeamParams,
      body: CreateApiKeyBody,
    },
    async ({ actor, params, body }) => {
      const { apiKey, secret } = await apiKeys.create(actor, params.id, body);
      return { apiKey: presentApiKey(apiKey), secret };
    },
  );
  r.get('/', { summary: "List a team's API keys", params: TeamParams }, async ({ actor, params }) => ({
    items: (await apiKeys.list(actor, params.id)).map(presentApiKey),
    nextCursor: null,
  }));
  r.delete(
    '/:keyId',
    { summary: 'Revoke an API key', params: ApiKeyParams, status: 204 },
    async ({ actor, params }) => {
      await apiKeys.revoke(actor, params.id, params.keyId);
    },
  );
  return r;
}
