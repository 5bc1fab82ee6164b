// Figma credentials (PUT/GET/DELETE /api/users/me/figma) and the variables import
// (POST …/tokens/import { figma: { fileKey } }) against a local Figma API stand-in.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { buildApiKey, buildCrew, buildDesignSystem } from '../../support/factories.ts';
import { expectError, expectHidden, expectInvalidField } from '../../support/expect-error.ts';
import { startTestServer, type TestServer } from '../../support/server.ts';
import { FILE_KEY, startFigmaStandIn, type FigmaStandIn } from '../../support/standins/figma.ts';

let figma: FigmaStandIn;
let server: TestServer;
let crew: Awaited<ReturnType<typeof buildCrew>>;

beforeAll(async () => {
  figma = await startFigmaStandIn();
  server = await startTestServer({ OUTBOUND_ALLOW_HOSTS: '127.0.0.1', FIGMA_API_URL: figma.url });
  crew = await buildCrew(server);
});
afterAll(async () => {
  await server.close();
  await figma.close();
});

const ME = '/api/users/me/figma';

describe('Figma token per user', () => {
  it('should require authentication, a user (not an API key) and a token Figma accepts', async () => {
    expectError(await server.api.get(ME), 401, 'unauthenticated');
    const key = await buildApiKey(server, crew.team, crew.owner, ['write']);
    expectError(await server.api.as(key).put(ME, { token: figma.token }), 403, 'user_required');
    expectInvalidField(await server.api.as(crew.viewer).put(ME, {}), 'token');
    const refused = await server.api.as(crew.viewer).put(ME, { token: 'figd_not_a_real_token_000' });
    expectError(refused, 422, 'figma_token_rejected');
    expect(refused.body.error.message).toContain('Invalid token');
    expect((await server.api.as(crew.viewer).get(ME)).body).toMatchObject({ connected: false, handle: null });
  });

  it('verifies the token once with GET /v1/me, stores it encrypted and never shows it', async () => {
    const before = figma.count('/v1/me');
    const set = await server.api.as(crew.viewer).put(ME, { token: figma.token });
    expect(set.status).toBe(200);
    expect(set.body).toMatchObject({ connected: true, handle: 'Ada Designer', figmaUserId: '1187593042210551813' });
    expect(figma.count('/v1/me')).toBe(before + 1);
    expect(figma.seen.at(-1)?.token).toBe(figma.token);
    const got = await server.api.as(crew.viewer).get(ME);
    expect(got.body).toMatchObject({ connected: true, handle: 'Ada Designer' });
    expect(JSON.stringify(got.body)).not.toContain(figma.token);
    const stored = await server.db.figmaCredential.findUniqueOrThrow({ where: { userId: crew.viewer.id } });
    expect(stored.tokenEncrypted).toMatch(/^v1\./);
    expect(stored.tokenEncrypted).not.toContain(figma.token);
    // Your data export says which Figma account is linked, never the token.
    const exported = await server.api.as(crew.viewer).get('/api/auth/me/export');
    expect(exported.body.figma).toMatchObject({ figmaUserId: '1187593042210551813', handle: 'Ada Designer' });
    expect(JSON.stringify(exported.body)).not.toContain(figma.token);
    // Another user's state is their own.
    expect((await server.api.as(crew.editor).get(ME)).body.connected).toBe(false);
  });

  it('asks for the token again when the stored one can no longer be opened (JWT_SECRET rotated)', async () => {
    const user = crew.admin;
    expect((await server.api.as(user).put(ME, { token: figma.token })).status).toBe(200);
    // What a token sealed under the previous secret looks like to this server: it does not open.
    await server.db.figmaCredential.update({
      where: { userId: user.id },
      data: { tokenEncrypted: 'v1.AAAAAAAAAAAAAAAA.AAAAAAAAAAAAAAAAAAAAAA.AAAA' },
    });
    const ds = await buildDesignSystem(server, crew.team, user, 'Sealed elsewhere');
    const res = await server.api
      .as(user)
      .post(`/api/design-systems/${ds.id}/tokens/import`, { figma: { fileKey: FILE_KEY } });
    expectError(res, 422, 'figma_token_rejected');
    expect(res.body.error.message).toContain('PUT /api/users/me/figma');
    expect((await server.api.as(user).delete(ME)).status).toBe(204);
  });

  it('removes the token', async () => {
    expect((await server.api.as(crew.viewer).delete(ME)).status).toBe(204);
    expect((await server.api.as(crew.viewer).get(ME)).body.connected).toBe(false);
    expect((await server.api.as(crew.viewer).delete(ME)).status).toBe(204);
  });
});

describe('variables import', () => {
  let ds: { id: string };
  const path = () => `/api/design-systems/${ds.id}/tokens/import`;
  beforeAll(async () => {
    ds = await buildDesignSystem(server, crew.team, crew.editor, 'Acme from Figma');
  });

  it('checks the body, the design system and the Figma token', async () => {
    expectInvalidField(
      await server.api.as(crew.editor).post(path(), { figma: { fileKey: 'x/../y' } }),
      'figma.fileKey',
    );
    expectInvalidField(
      await server.api
        .as(crew.editor)
        .post(path(), { figma: { fileKey: FILE_KEY }, url: 'https://example.com/t.json' }),
      'figma',
    );
    expectHidden(await server.api.as(crew.outsider).post(path(), { figma: { fileKey: FILE_KEY } }));
    expectError(await server.api.as(crew.viewer).post(path(), { figma: { fileKey: FILE_KEY } }), 403, 'forbidden');
    const none = await server.api.as(crew.editor).post(path(), { figma: { fileKey: FILE_KEY } });
    expectError(none, 422, 'figma_not_connected');
    expect(none.body.error.message).toContain('PUT /api/users/me/figma');
  });

  it('imports collections as groups, the default mode as $value, Dark as a mode, aliases as aliases', async () => {
    expect((await server.api.as(crew.editor).put(ME, { token: figma.token })).status).toBe(200);
    const before = figma.count(`/v1/files/${FILE_KEY}/variables/local`);
    const res = await server.api.as(crew.editor).post(path(), { figma: { fileKey: FILE_KEY } });
    expect(res.status).toBe(200);
    expect(figma.count(`/v1/files/${FILE_KEY}/variables/local`)).toBe(before + 1);
    expect(res.body).toMatchObject({
      format: 'dtcg',
      total: 17,
      created: 17,
      figma: {
        fileKey: FILE_KEY,
        collections: 2,
        variables: 17,
        modes: { primitives: ['Value'], semantic: ['Light', 'Dark'] },
      },
    });
    const list = await server.api.as(crew.viewer).get(`/api/design-systems/${ds.id}/tokens?limit=100`);
    const byPath = Object.fromEntries(list.body.items.map((t: any) => [t.path, t]));
    expect(byPath['primitives.color.blue.600']).toMatchObject({ $type: 'color', $value: '#2563eb', modes: {} });
    expect(byPath['primitives.space.4']).toMatchObject({ $type: 'dimension', $value: '16px' });
    expect(byPath['primitives.radius.md']).toMatchObject({ $type: 'dimension', $value: '6px' });
    expect(byPath['primitives.opacity.disabled']).toMatchObject({ $type: 'number', $value: 0.4 });
    expect(byPath['primitives.font.family.sans']).toMatchObject({ $type: 'fontFamily', $value: 'Inter' });
    // Aliases stay aliases, in the default mode and in Dark.
    expect(byPath['semantic.button.primary.background']).toMatchObject({
      $type: 'color',
      $value: '{primitives.color.blue.600}',
      modes: { Dark: '{primitives.color.blue.700}' },
    });
    expect(byPath['semantic.text.default']).toMatchObject({
      $value: '{primitives.color.gray.900}',
      modes: { Dark: '{primitives.color.gray.0}' },
    });
    // A literal in one mode, an alias in the other; a colour with alpha keeps it in the hex.
    expect(byPath['semantic.button.secondary.background']).toMatchObject({
      $value: '{primitives.color.gray.100}',
      modes: { Dark: '#333340' },
    });
    expect(byPath['semantic.focus.ring']).toMatchObject({ $value: '#2563eb80', modes: { Dark: '#93c5fd80' } });
    // Same value in both modes: no mode entry.
    expect(byPath['semantic.button.primary.text'].modes).toEqual({});
    expect(byPath['semantic.button.primary.background'].$extensions['com.figma']).toMatchObject({
      variableId: 'VariableID:2:1',
      collection: 'Semantic',
    });
    // The Dark mode exports with its aliases resolved within the mode.
    const dark = await server.api
      .as(crew.viewer)
      .get(`/api/design-systems/${ds.id}/tokens/export?format=css&mode=Dark`);
    expect(dark.status).toBe(200);
    expect(dark.text).toMatch(/--semantic-surface-default: #111827;/);
    const light = await server.api.as(crew.viewer).get(`/api/design-systems/${ds.id}/tokens/export?format=css`);
    expect(light.text).toMatch(/--semantic-surface-default: #ffffff;/);
  });

  it('re-imports in place: same tokens, nothing duplicated, changed values updated', async () => {
    const ids = async () =>
      Object.fromEntries(
        (await server.api.as(crew.viewer).get(`/api/design-systems/${ds.id}/tokens?limit=100`)).body.items.map(
          (t: any) => [t.path, t.id],
        ),
      );
    const first = await ids();
    const again = await server.api.as(crew.editor).post(path(), { figma: { fileKey: FILE_KEY } });
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ total: 17, created: 0, updated: 0, unchanged: 17 });
    expect(await ids()).toEqual(first);
    // A token edited in Ensemble is brought back to Figma's value by the next import.
    await server.api
      .as(crew.editor)
      .put(`/api/design-systems/${ds.id}/tokens/${first['primitives.space.4']}`, { $value: '20px' });
    const third = await server.api.as(crew.editor).post(path(), { figma: { fileKey: FILE_KEY } });
    expect(third.body).toMatchObject({ created: 0, updated: 1, unchanged: 16 });
    expect(await ids()).toEqual(first);
  });

  it("removes the tokens whose variable was renamed or deleted in Figma, but keeps one Ensemble's tokens still refer to", async () => {
    // An Ensemble token pointing at a Figma one, then a designer renames space/4 and deletes radius/md
    // and opacity/disabled, the first of which the Ensemble token refers to.
    const own = await server.api
      .as(crew.editor)
      .post(`/api/design-systems/${ds.id}/tokens`, { path: 'app.corner', $value: '{primitives.radius.md}' });
    expect(own.status).toBe(201);
    figma.editVariables(({ meta }) => {
      (meta.variables['VariableID:1:9'] as { name: string }).name = 'space/gutter';
      delete meta.variables['VariableID:1:10'];
      delete meta.variables['VariableID:1:12'];
    });
    const res = await server.api.as(crew.editor).post(path(), { figma: { fileKey: FILE_KEY } });
    expect(res.status).toBe(200);
    expect(res.body.figma.removed.sort()).toEqual(['primitives.opacity.disabled', 'primitives.space.4']);
    expect(res.body.warnings).toContainEqual(
      expect.objectContaining({
        path: 'primitives.radius.md',
        code: 'referenced',
        message: expect.stringContaining('app.corner'),
      }),
    );
    const paths = (
      await server.api.as(crew.viewer).get(`/api/design-systems/${ds.id}/tokens?limit=100`)
    ).body.items.map((t: { path: string }) => t.path);
    expect(paths).toContain('primitives.space.gutter');
    expect(paths).toContain('primitives.radius.md');
    expect(paths).toContain('app.corner');
    expect(paths).not.toContain('primitives.space.4');
    expect(paths).not.toContain('primitives.opacity.disabled');
  });

  it('tells Figma’s refusals apart: 404, 403, 429 with Retry-After, and Figma down', async () => {
    const other = await server.api.as(crew.editor).post(path(), { figma: { fileKey: 'ZZZZZZZZZZZZZZZZZZZZZZ' } });
    expectError(other, 422, 'figma_file_not_found');
    figma.failNext(403);
    const refused = await server.api.as(crew.editor).post(path(), { figma: { fileKey: FILE_KEY } });
    expectError(refused, 422, 'figma_token_rejected');
    expect(refused.body.error.message).toContain('file_variables:read');
    figma.failNext(429, 42);
    const limited = await server.api.as(crew.editor).post(path(), { figma: { fileKey: FILE_KEY } });
    expectError(limited, 503, 'figma_rate_limited');
    expect(limited.headers['retry-after']).toBe('42');
    figma.failNext(500);
    expectError(
      await server.api.as(crew.editor).post(path(), { figma: { fileKey: FILE_KEY } }),
      503,
      'figma_unavailable',
    );
  });
});

describe('OpenAPI', () => {
  it('documents the Figma routes and the figma import body', async () => {
    const { paths } = (await server.api.get('/api/openapi.json')).body;
    const me = paths['/api/users/me/figma'];
    expect([me?.put?.operationId, me?.get?.operationId, me?.delete?.operationId]).toEqual([
      'putUsersMeFigma',
      'getUsersMeFigma',
      'deleteUsersMeFigma',
    ]);
    expect(me.put.requestBody.content['application/json'].schema.properties).toHaveProperty('token');
    const importBody = paths['/api/design-systems/{dsId}/tokens/import'].post.requestBody.content['application/json'];
    expect(JSON.stringify(importBody)).toContain('fileKey');
  });
});
