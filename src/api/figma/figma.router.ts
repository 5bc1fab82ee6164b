// /api/users/me/figma: your Figma personal access token — set (checked with Figma's GET /v1/me, stored
// encrypted), whether one is set (never the token), and removed.
import type { Services } from '../../services/index.ts';
import type { OpenApiRegistry } from '../openapi/registry.ts';
import { Routes } from '../route.ts';
import { FigmaCredentialResponse, SetFigmaTokenBody } from './figma.schema.ts';

/** The Figma credential routes. */
export function figmaRoutes({ figma }: Services, registry: OpenApiRegistry) {
  const r = new Routes(registry, '/api/users/me/figma', 'Figma');
  r.put(
    '/',
    {
      summary: 'Set your Figma personal access token: checked with Figma (GET /v1/me), then stored encrypted',
      body: SetFigmaTokenBody,
      response: FigmaCredentialResponse,
    },
    ({ actor, body }) => figma.credentials.set(actor, body.token),
  );
  r.get(
    '/',
    {
      summary: 'Whether you have a Figma token set, and for which Figma account (never the token)',
      response: FigmaCredentialResponse,
    },
    ({ actor }) => figma.credentials.get(actor),
  );
  r.delete('/', { summary: 'Forget your Figma token', status: 204 }, async ({ actor }) => {
    await figma.credentials.remove(actor);
  });
  return r;
}
