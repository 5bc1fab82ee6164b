// Modes over REST and the live tokens document (issue 17 item 2): files imported per mode, the modes
// listed, a token's value per mode read and written over REST and live alike, exports per mode.
import { isDeepStrictEqual } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type * as Y from 'yjs';
import { buildCrew, buildDesignSystem } from '../../../support/factories.ts';
import { expectError, expectHidden, expectInvalidField } from '../../../support/expect-error.ts';
import { eventually } from '../../../support/realtime.ts';
import { startTestServer, type TestServer } from '../../../support/server.ts';
import { provide } from '../../../support/yjs-provider.ts';

let server: TestServer;
let crew: Awaited<ReturnType<typeof buildCrew>>;

beforeAll(async () => {
  server = await startTestServer();
  crew = await buildCrew(server);
});
afterAll(async () => {
  await server.close();
});

const BASE = {
  color: {
    white: { $value: '#ffffff', $type: 'color' },
    black: { $value: '#000000', $type: 'color' },
    bg: { $value: '{color.white}', $type: 'color' },
    text: { $value: '{color.bg}', $type: 'color' },
  },
};
const DARK = { color: { bg: { $value: '{color.black}' } } };
const path = (dsId: string, rest = '') => `/api/design-systems/${dsId}/tokens${rest}`;

async function withModes() {
  const ds = await buildDesignSystem(server, crew.team, crew.editor);
  const res = await server.api.as(crew.editor).post(path(ds.id, '/import'), {
    files: [
      { path: 'tokens.json', content: JSON.stringify(BASE) },
      { path: 'dark.json', content: JSON.stringify(DARK), mode: 'dark' },
    ],
  });
  expect(res.status).toBe(200);
  expect(res.body).toMatchObject({ total: 4, modes: ['dark'] });
  return ds;
}

const exported = async (dsId: string, query: string) => server.api.as(crew.viewer).get(path(dsId, `/export?${query}`));

describe('GET /api/design-systems/:dsId/tokens/modes', () => {
  it('checks authentication and team, then lists the modes with their token counts', async () => {
    const ds = await withModes();
    expectError(await server.api.get(path(ds.id, '/modes')), 401, 'unauthenticated');
    expectHidden(await server.api.as(crew.outsider).get(path(ds.id, '/modes')));
    const res = await server.api.as(crew.viewer).get(path(ds.id, '/modes'));
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ items: [{ name: 'dark', tokens: 1, theme: false, fallback: null }] });
  });
});

describe('PUT /api/design-systems/:dsId/tokens/modes/:mode', () => {
  it('gives a mode a fallback for the tokens it has no value of its own for', async () => {
    const ds = await withModes();
    const put = (mode: string, body: unknown, who = crew.editor) =>
      server.api.as(who).put(path(ds.id, `/modes/${encodeURIComponent(mode)}`), body);
    expectError(await server.api.put(path(ds.id, '/modes/dim'), { fallback: 'dark' }), 401, 'unauthenticated');
    expectHidden(await put('dim', { fallback: 'dark' }, crew.outsider));
    expectError(await put('dim', { fallback: 'dark' }, crew.viewer), 403, 'forbidden');
    expectInvalidField(await put('dim', { fallback: 'a"b' }), 'fallback');

    const res = await put('dim', { fallback: 'dark' });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ name: 'dim', tokens: 0, theme: false, fallback: 'dark' });
    // dim has no values of its own yet: it is dark.
    expect((await exported(ds.id, 'format=css&mode=dim')).text).toContain('--color-text: #000000;');
    const modes = await server.api.as(crew.viewer).get(path(ds.id, '/modes'));
    expect(modes.body.items).toContainEqual({ name: 'dim', tokens: 0, theme: false, fallback: 'dark' });

    // The design system's export carries both.
    const whole = await server.api.as(crew.viewer).get(`/api/design-systems/${ds.id}/export`);
    expect(whole.body.modeFallbacks).toEqual({ dim: 'dark' });
    expect(whole.body.tokens.color.bg.$extensions).toEqual({ 'org.primer.overrides': { dark: '{color.black}' } });

    const cycle = await put('dark', { fallback: 'dim' });
    expectError(cycle, 422, 'unprocessable');
    expect(cycle.body.error.message).toContain('dark → dim → dark');
    expect((await put('dim', { fallback: null })).body).toEqual({
      name: 'dim',
      tokens: 0,
      theme: false,
      fallback: null,
    });
    expectError(await exported(ds.id, 'format=css&mode=dim'), 422, 'unknown_mode');
  });

  it('holds fallbacks in the live document, where a cycle is refused too', async () => {
    const ds = await withModes();
    const editor = provide(server.url, `tokens:${ds.id}`, crew.editor.accessToken);
    try {
      await editor.synced;
      const fallbacks = editor.doc.getMap<string>('modeFallbacks');
      fallbacks.set('dim', 'dark');
      await eventually(async () =>
        (await exported(ds.id, 'format=css&mode=dim')).text.includes('--color-text: #000000;'),
      );
      fallbacks.set('dark', 'dim');
      await eventually(() => !fallbacks.has('dark'));
      expect(fallbacks.toJSON()).toEqual({ dim: 'dark' });
    } finally {
      editor.close();
    }
  });
});

describe('modes over REST', () => {
  it('imports a file per mode (JSON files[].mode, multipart mode) without overwriting the defaults', async () => {
    const ds = await withModes();
    const list = await server.api.as(crew.viewer).get(path(ds.id, '?category=color'));
    const bg = list.body.items.find((t: { path: string }) => t.path === 'color.bg');
    expect(bg).toMatchObject({ $value: '{color.white}', modes: { dark: '{color.black}' } });
    expect(list.body.items.find((t: { path: string }) => t.path === 'color.text').modes).toEqual({});

    const multipart = await server.api
      .as(crew.editor)
      .post(path(ds.id, '/import'))
      .field('mode', 'dim')
      .attach('files', Buffer.from(JSON.stringify({ color: { bg: { $value: '#333333' } } })), 'dim.json');
    expect(multipart.status).toBe(200);
    expect((await exported(ds.id, 'format=css&mode=dim')).text).toContain('--color-text: #333333;');
    expect((await exported(ds.id, 'format=css')).text).toContain('--color-text: #ffffff;');
  });

  it('exports a mode in any format, theme= being the same, and refuses an unknown mode with the list', async () => {
    const ds = await withModes();
    const css = await exported(ds.id, 'format=css&mode=dark');
    expect(css.status).toBe(200);
    expect(css.text).toContain('--color-text: #000000;');
    expect((await exported(ds.id, 'format=js&theme=dark')).text).toContain('export const colorText = "#000000";');
    const unknown = await exported(ds.id, 'format=css&mode=sepia');
    expectError(unknown, 422, 'unknown_mode');
    expect(unknown.body.error.details).toEqual({ mode: 'sepia', modes: ['dark'] });
    const all = await exported(ds.id, 'format=css&modes=all');
    expect(all.text).toContain('[data-color-mode="dark"] {\n  --color-bg: #000000;\n  --color-text: #000000;\n}');
    expectInvalidField(await exported(ds.id, 'format=js&modes=all'), 'query.modes');
  });

  it('sets and removes a mode value with PUT; the live document and REST agree', async () => {
    const ds = await withModes();
    const list = await server.api.as(crew.viewer).get(path(ds.id, '?category=color'));
    const text = list.body.items.find((t: { path: string }) => t.path === 'color.text');
    const live = provide(server.url, `tokens:${ds.id}`, crew.viewer.accessToken);
    try {
      await live.synced;
      const entry = () => live.doc.getMap<Y.Map<unknown>>('tokens').get('color.text');
      const put = await server.api
        .as(crew.editor)
        .put(path(ds.id, `/${text.id}`), { modes: { dark: '#222222', hc: '{color.black}' } });
      expect(put.status).toBe(200);
      expect(put.body.modes).toEqual({ dark: '#222222', hc: '{color.black}' });
      // JSONB orders keys its own way: the same modes, compared as values.
      await eventually(() => isDeepStrictEqual(entry()?.get('modes'), put.body.modes));

      const removed = await server.api.as(crew.editor).put(path(ds.id, `/${text.id}`), { modes: { hc: null } });
      expect(removed.body.modes).toEqual({ dark: '#222222' });
      await eventually(() => isDeepStrictEqual(entry()?.get('modes'), { dark: '#222222' }));
      expect((await exported(ds.id, 'format=css&mode=dark')).text).toContain('--color-text: #222222;');

      // A bad mode value is refused like a bad default value.
      const bad = await server.api.as(crew.editor).put(path(ds.id, `/${text.id}`), { modes: { dark: '{color.nope}' } });
      expectError(bad, 422, 'invalid_tokens');
      expect(bad.body.error.details[0]).toMatchObject({ path: 'color.text', code: 'broken_alias' });
    } finally {
      live.close();
    }
  });

  it('refuses to delete a token a mode value still refers to', async () => {
    const ds = await withModes();
    const list = await server.api.as(crew.viewer).get(path(ds.id, '?category=color'));
    const black = list.body.items.find((t: { path: string }) => t.path === 'color.black');
    const res = await server.api.as(crew.editor).delete(path(ds.id, `/${black.id}`));
    expectError(res, 409, 'conflict');
    expect(res.body.error.details).toEqual([expect.objectContaining({ path: 'color.bg', code: 'referenced' })]);
  });

  it('takes a live edit of a mode value into the REST view and the export', async () => {
    const ds = await withModes();
    const editor = provide(server.url, `tokens:${ds.id}`, crew.editor.accessToken);
    try {
      await editor.synced;
      editor.doc.getMap<Y.Map<unknown>>('tokens').get('color.bg')!.set('modes', { dark: '#101010' });
      await eventually(async () => {
        const list = await server.api.as(crew.viewer).get(path(ds.id, '?category=color'));
        return list.body.items.find((t: { path: string }) => t.path === 'color.bg')?.modes?.dark === '#101010';
      });
      expect((await exported(ds.id, 'format=css&mode=dark')).text).toContain('--color-text: #101010;');

      // A live mode value obeys the same rules as a REST one: refused, reverted, and the editor told why.
      editor.doc.getMap<Y.Map<unknown>>('tokens').get('color.bg')!.set('modes', { dark: '{color.nope}' });
      await eventually(() =>
        isDeepStrictEqual(editor.doc.getMap<Y.Map<unknown>>('tokens').get('color.bg')!.get('modes'), {
          dark: '#101010',
        }),
      );
      await eventually(() => editor.denied.length > 0);
      expect(editor.denied.join(' ')).toMatch(/invalid_tokens|problem/);
    } finally {
      editor.close();
    }
  });
});
