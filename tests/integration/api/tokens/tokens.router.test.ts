import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import supertest from 'supertest';
import type * as Y from 'yjs';
import { buildApiKey, buildCrew, buildDesignSystem } from '../../../support/factories.ts';
import { expectError, expectHidden, expectInvalidField } from '../../../support/expect-error.ts';
import { eventually } from '../../../support/realtime.ts';
import { startTestServer, type TestServer } from '../../../support/server.ts';
import { provide } from '../../../support/yjs-provider.ts';

let server: TestServer;
let crew: Awaited<ReturnType<typeof buildCrew>>;
let files: Server;
let filesUrl: string;

const DTCG = {
  color: {
    $type: 'color',
    brand: { $value: { colorSpace: 'srgb', components: [0, 0.4, 1], alpha: 1, hex: '#0066ff' } },
    overlay: { $value: { colorSpace: 'srgb', components: [0, 0, 0], alpha: 0.5 } },
    action: { $value: '{color.brand}' },
  },
  space: { $type: 'dimension', none: { $value: { value: 0, unit: 'px' } }, md: { $value: { value: 16, unit: 'px' } } },
  motion: { fast: { $type: 'duration', $value: { value: 200, unit: 'ms' } } },
};

beforeAll(async () => {
  files = createServer((req, res) => {
    res.setHeader('Content-Type', 'application/json');
    res.end(JSON.stringify(req.url === '/tokens.json' ? DTCG : { nothing: true }));
  });
  await new Promise<void>((ok) => files.listen(0, '127.0.0.1', ok));
  filesUrl = `http://127.0.0.1:${(files.address() as AddressInfo).port}`;
  server = await startTestServer({ OUTBOUND_ALLOW_HOSTS: '127.0.0.1' });
  crew = await buildCrew(server);
});
afterAll(async () => {
  await server.close();
  await new Promise<void>((ok) => files.close(() => ok()));
});

const tokensPath = (dsId: string) => `/api/design-systems/${dsId}/tokens`;
const importJson = (dsId: string, body: unknown, who = crew.editor) =>
  server.api.as(who).post(`${tokensPath(dsId)}/import`, body);

describe('POST /api/design-systems/:dsId/tokens/import', () => {
  it('checks authentication, team and role', async () => {
    const ds = await buildDesignSystem(server, crew.team, crew.editor);
    const body = { files: [{ path: 'tokens.json', content: JSON.stringify(DTCG) }] };
    expectError(await server.api.post(`${tokensPath(ds.id)}/import`, body), 401, 'unauthenticated');
    expectHidden(await importJson(ds.id, body, crew.outsider));
    expectError(await importJson(ds.id, body, crew.viewer), 403, 'forbidden');
    expectInvalidField(await importJson(ds.id, { files: [{ path: 'x.json' }] }), 'files.0.content');
  });

  it('imports DTCG files and answers with counts; importing again changes nothing', async () => {
    const ds = await buildDesignSystem(server, crew.team, crew.editor);
    const res = await importJson(ds.id, { files: [{ path: 'tokens.json', content: JSON.stringify(DTCG) }] });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ format: 'dtcg', total: 6, created: 6, updated: 0 });
    const again = await importJson(ds.id, { files: [{ path: 'tokens.json', content: JSON.stringify(DTCG) }] });
    expect(again.body).toMatchObject({ created: 0, updated: 0, unchanged: 6 });
    const list = await server.api.as(crew.viewer).get(`${tokensPath(ds.id)}?limit=100`);
    expect(list.body.items.map((t: { path: string }) => t.path)).toEqual([
      'color.action',
      'color.brand',
      'color.overlay',
      'motion.fast',
      'space.md',
      'space.none',
    ]);
    const page1 = await server.api.as(crew.viewer).get(`${tokensPath(ds.id)}?limit=4`);
    const page2 = await server.api.as(crew.viewer).get(`${tokensPath(ds.id)}?limit=4&cursor=${page1.body.nextCursor}`);
    expect(page2.body.items.map((t: { path: string }) => t.path)).toEqual(['space.md', 'space.none']);
    expect(list.body.items[0]).toMatchObject({
      category: 'color',
      name: 'action',
      $value: '{color.brand}',
      $type: 'color',
    });
  });

  it('accepts a multipart upload of several JSON5 files merged in order', async () => {
    const ds = await buildDesignSystem(server, crew.team, crew.editor);
    const res = await supertest(server.url)
      .post(`${tokensPath(ds.id)}/import`)
      .set('Authorization', `Bearer ${crew.editor.accessToken}`)
      .attach(
        'files',
        Buffer.from('{ size: { $type: "dimension", sm: { $value: "4px" }, md: { $value: "8px" } } } // json5'),
        'base.json5',
      )
      .attach('files', Buffer.from('{ "size": { "md": { "$value": "12px" } } }'), 'override.json');
    expect(res.status).toBe(200);
    const list = await server.api.as(crew.viewer).get(tokensPath(ds.id));
    expect(list.body.items.find((t: { path: string }) => t.path === 'size.md').$value).toBe('12px');
  });

  it('fetches from a URL on an allowed host, and refuses private ones otherwise', async () => {
    const ds = await buildDesignSystem(server, crew.team, crew.editor);
    const ok = await importJson(ds.id, { url: `${filesUrl}/tokens.json` });
    expect(ok.status).toBe(200);
    expect(ok.body.created).toBe(6);
    expectInvalidField(await importJson(ds.id, { url: 'http://169.254.169.254/latest/meta-data' }), 'url');
    expectInvalidField(await importJson(ds.id, { url: 'http://10.0.0.1/tokens.json' }), 'url');
  });

  it('refuses bad files with every problem listed and writes nothing', async () => {
    const ds = await buildDesignSystem(server, crew.team, crew.editor);
    const bad = {
      color: {
        $type: 'color',
        ok: { $value: '#ffffff' },
        wrong: { $value: 'not-a-color' },
        broken: { $value: '{color.missing}' },
        loopA: { $value: '{color.loopB}' },
        loopB: { $value: '{color.loopA}' },
        $bad: { $value: '#000000' },
      },
    };
    const res = await importJson(ds.id, {
      files: [
        { path: 'bad.json', content: JSON.stringify(bad) },
        { path: 'evil.json', content: '{ "__proto__": { "polluted": { "$value": 1 } } }' },
        { path: 'broken.json', content: '{ nope' },
      ],
    });
    expectError(res, 422, 'invalid_tokens');
    const codes = new Set(res.body.error.details.map((p: { code: string }) => p.code));
    for (const code of [
      'invalid_value',
      'broken_alias',
      'alias_cycle',
      'illegal_name',
      'forbidden_key',
      'invalid_json',
    ])
      expect(codes).toContain(code);
    expect(res.body.error.details.find((p: { code: string }) => p.code === 'broken_alias').path).toBe('color.broken');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    const list = await server.api.as(crew.viewer).get(tokensPath(ds.id));
    expect(list.body.items).toEqual([]);
  });
});

describe('token CRUD', () => {
  it('creates, updates and deletes with validation and access checks', async () => {
    const ds = await buildDesignSystem(server, crew.team, crew.editor);
    const p = tokensPath(ds.id);
    expectError(await server.api.post(p, { path: 'color.a', $value: '#fff' }), 401, 'unauthenticated');
    expectHidden(await server.api.as(crew.outsider).post(p, { path: 'color.a', $value: '#fff' }));
    expectError(
      await server.api.as(crew.viewer).post(p, { path: 'color.a', $value: '#fff', $type: 'color' }),
      403,
      'forbidden',
    );
    expectInvalidField(await server.api.as(crew.editor).post(p, { path: 'color.{a}', $value: '#fff' }), 'path');
    expectError(
      await server.api.as(crew.editor).post(p, { path: 'color.bad', $value: 'blue-ish', $type: 'color' }),
      422,
      'invalid_tokens',
    );

    const base = await server.api.as(crew.editor).post(p, { path: 'color.base', $value: '#112233', $type: 'color' });
    expect(base.status).toBe(201);
    expect(base.body).toMatchObject({ path: 'color.base', category: 'color', name: 'base', $value: '#112233' });
    // Seed 001's row shape works too.
    const seedShape = await server.api
      .as(crew.editor)
      .post(p, { category: 'color', name: 'alias', value: '{color.base}', type: 'color' });
    expect(seedShape.status).toBe(201);
    expectError(
      await server.api.as(crew.editor).post(p, { path: 'color.base', $value: '#000000', $type: 'color' }),
      409,
      'conflict',
    );
    expectError(
      await server.api.as(crew.editor).post(p, { path: 'color.dangling', $value: '{color.nowhere}', $type: 'color' }),
      422,
      'invalid_tokens',
    );

    const put = await server.api
      .as(crew.editor)
      .put(`${p}/${base.body.id}`, { $value: '#445566', $description: 'Base colour' });
    expect(put.status).toBe(200);
    expect(put.body).toMatchObject({ id: base.body.id, $value: '#445566', $description: 'Base colour' });
    expectHidden(await server.api.as(crew.outsider).put(`${p}/${base.body.id}`, { $value: '#000000' }));

    // base is referenced by alias: refused until the alias goes.
    const refused = await server.api.as(crew.editor).delete(`${p}/${base.body.id}`);
    expectError(refused, 409, 'conflict');
    expect(refused.body.error.details[0].path).toBe('color.alias');
    expect((await server.api.as(crew.editor).delete(`${p}/${seedShape.body.id}`)).status).toBe(204);
    expect((await server.api.as(crew.editor).delete(`${p}/${base.body.id}`)).status).toBe(204);
    expect((await server.api.as(crew.viewer).get(p)).body.items).toEqual([]);
  });

  it('lets a write key change tokens and a read key only list them', async () => {
    const ds = await buildDesignSystem(server, crew.team, crew.editor);
    const read = await buildApiKey(server, crew.team, crew.admin, ['read']);
    const write = await buildApiKey(server, crew.team, crew.admin, ['write']);
    expectError(
      await server.api.as(read).post(tokensPath(ds.id), { path: 'a.b', $value: 1, $type: 'number' }),
      403,
      'insufficient_scope',
    );
    expect(
      (await server.api.as(write).post(tokensPath(ds.id), { path: 'a.b', $value: 1, $type: 'number' })).status,
    ).toBe(201);
    expect((await server.api.as(read).get(tokensPath(ds.id))).body.items).toHaveLength(1);
  });
});

describe('GET /api/design-systems/:dsId/tokens/export', () => {
  it('answers the file itself with its content type', async () => {
    const ds = await buildDesignSystem(server, crew.team, crew.editor);
    await importJson(ds.id, { files: [{ path: 'tokens.json', content: JSON.stringify(DTCG) }] });
    expectHidden(await server.api.as(crew.outsider).get(`${tokensPath(ds.id)}/export?format=css`));
    expectInvalidField(await server.api.as(crew.viewer).get(`${tokensPath(ds.id)}/export?format=pdf`), 'query.format');

    const css = await server.api.as(crew.viewer).get(`${tokensPath(ds.id)}/export?format=css&outputReferences=true`);
    expect(css.status).toBe(200);
    expect(css.headers['content-type']).toMatch(/^text\/css/);
    expect(css.text).toContain(':root');
    expect(css.text).toMatch(/--space-none:\s*0;/);
    expect(css.text).toMatch(/--motion-fast:\s*200ms;/);
    expect(css.text).toMatch(/--color-overlay:\s*#00000080;/);
    expect(css.text).toMatch(/--color-action:\s*var\(--color-brand\);/);

    const dtcg = await server.api.as(crew.viewer).get(`${tokensPath(ds.id)}/export?format=dtcg`);
    expect(dtcg.headers['content-type']).toMatch(/^application\/json/);
    expect(JSON.parse(dtcg.text)).toEqual(DTCG);

    const exported = await server.api.as(crew.viewer).get(`/api/design-systems/${ds.id}/export`);
    expect(exported.body.tokens.color.action.$value).toBe('{color.brand}');
  });

  it('never answers a cached export after a change: an update, an addition, a deletion, a live edit', async () => {
    const ds = await buildDesignSystem(server, crew.team, crew.editor);
    const css = async (query = '') =>
      (await server.api.as(crew.viewer).get(`${tokensPath(ds.id)}/export?format=css${query}`)).text;
    const as = server.api.as(crew.editor);
    const a = await as.post(tokensPath(ds.id), { path: 'color.a', $value: '#111111', $type: 'color' });
    const b = await as.post(tokensPath(ds.id), { path: 'color.b', $value: '#222222', $type: 'color' });
    expect(await css()).toContain('--color-b: #222222;');
    expect(await css()).toContain('--color-b: #222222;');

    expect((await as.put(`${tokensPath(ds.id)}/${a.body.id}`, { $value: '#333333' })).status).toBe(200);
    expect(await css()).toContain('--color-a: #333333;');
    expect((await as.post(tokensPath(ds.id), { path: 'color.c', $value: '#444444', $type: 'color' })).status).toBe(201);
    expect(await css()).toContain('--color-c: #444444;');
    // A deletion adds nothing to the document's state vector: it must change the export all the same.
    expect((await as.delete(`${tokensPath(ds.id)}/${b.body.id}`)).status).toBe(204);
    const afterDelete = await css();
    expect(afterDelete).not.toContain('--color-b');
    expect(afterDelete).toContain('--color-a: #333333;');
    // Another option is another file; the first one is still right.
    expect(await css('&outputReferences=true')).toContain('--color-a: #333333;');

    const live = provide(server.url, `tokens:${ds.id}`, crew.editor.accessToken);
    try {
      await live.synced;
      live.doc.getMap<Y.Map<unknown>>('tokens').get('color.a')!.set('$value', '#555555');
      await eventually(async () => (await css()).includes('--color-a: #555555;'));
      live.doc.getMap<Y.Map<unknown>>('tokens').delete('color.c');
      await eventually(async () => !(await css()).includes('--color-c'));
    } finally {
      live.close();
    }
  });
});
