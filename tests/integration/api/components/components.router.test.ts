import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { buildApiKey, buildComponent, buildCrew, buildDesignSystem } from '../../../support/factories.ts';
import { expectError, expectHidden, expectInvalidField } from '../../../support/expect-error.ts';
import { startTestServer, type TestServer } from '../../../support/server.ts';
import { edit, yClient } from '../../../support/yjs-client.ts';

let server: TestServer;
let crew: Awaited<ReturnType<typeof buildCrew>>;
let ds: { id: string };
let path: string;
beforeAll(async () => {
  // A long debounce keeps live edits out of the row until the test asks for them.
  server = await startTestServer({ MATERIALISE_DEBOUNCE_MS: '60000' });
  crew = await buildCrew(server);
  ds = await buildDesignSystem(server, crew.team, crew.editor);
  path = `/api/design-systems/${ds.id}/components`;
});
afterAll(() => server.close());

describe('POST /api/design-systems/:dsId/components', () => {
  it('checks authentication, team and role', async () => {
    const body = { name: 'Nope', category: 'x' };
    expectError(await server.api.post(path, body), 401, 'unauthenticated');
    expectHidden(await server.api.as(crew.outsider).post(path, body));
    expectError(await server.api.as(crew.viewer).post(path, body), 403, 'forbidden');
    const read = await buildApiKey(server, crew.team, crew.admin, ['read']);
    expectError(await server.api.as(read).post(path, body), 403, 'insufficient_scope');
  });
  it('names the invalid field', async () => {
    expectInvalidField(await server.api.as(crew.editor).post(path, { name: 'A' }), 'category');
    expectInvalidField(
      await server.api.as(crew.editor).post(path, { name: 'A', category: 'c', status: 'gone' }),
      'status',
    );
  });
  it('creates the component, its document and version 1', async () => {
    const res = await server.api.as(crew.editor).post(path, {
      name: 'Button',
      category: 'actions',
      code: 'export const Button = 1;',
      documentation: 'Docs',
      props: { size: { type: 'string' } },
    });
    expect(res.status).toBe(201);
    expect(res.headers.etag).toBe('"1"');
    expect(res.body).toMatchObject({
      name: 'Button',
      category: 'actions',
      status: 'draft',
      version: 1,
      documentation: 'Docs',
      document: `component:${res.body.id}`,
    });
    const state = await server.services.documents.read(`component:${res.body.id}`, null, (doc) =>
      doc.getText('code').toString(),
    );
    expect(state).toBe('export const Button = 1;');
    const versions = await server.api.as(crew.viewer).get(`${path}/${res.body.id}/versions`);
    expect(versions.body.items).toEqual([
      expect.objectContaining({ version: 1, message: 'Created', code: 'export const Button = 1;' }),
    ]);
    expectError(await server.api.as(crew.editor).post(path, { name: 'Button', category: 'actions' }), 409, 'conflict');
  });
  it('is usable with a write-scoped API key', async () => {
    const key = await buildApiKey(server, crew.team, crew.admin, ['write']);
    expect((await server.api.as(key).post(path, { name: 'FromCI', category: 'ci' })).status).toBe(201);
  });
});

describe('GET /api/design-systems/:dsId/components', () => {
  it('searches by name, filters by category, paginates', async () => {
    const other = await buildDesignSystem(server, crew.team, crew.editor);
    const p = `/api/design-systems/${other.id}/components`;
    for (const [name, category] of [
      ['PrimaryButton', 'actions'],
      ['IconButton', 'actions'],
      ['TextField', 'forms'],
    ]) {
      await buildComponent(server, other.id, crew.editor, { name, category });
    }
    const search = await server.api.as(crew.viewer).get(`${p}?q=button`);
    expect(search.body.items.map((c: { name: string }) => c.name).sort()).toEqual(['IconButton', 'PrimaryButton']);
    const forms = await server.api.as(crew.viewer).get(`${p}?category=forms`);
    expect(forms.body.items.map((c: { name: string }) => c.name)).toEqual(['TextField']);
    const page1 = await server.api.as(crew.viewer).get(`${p}?limit=2`);
    const page2 = await server.api.as(crew.viewer).get(`${p}?limit=2&cursor=${page1.body.nextCursor}`);
    expect([...page1.body.items, ...page2.body.items]).toHaveLength(3);
    expect(page2.body.nextCursor).toBeNull();
    expectHidden(await server.api.as(crew.outsider).get(p));
    expectInvalidField(await server.api.as(crew.viewer).get(`${p}?limit=0`), 'query.limit');
  });
});

describe('PUT /api/design-systems/:dsId/components/:id', () => {
  it('checks authentication, team and role', async () => {
    const c = await buildComponent(server, ds.id, crew.editor);
    expectError(await server.api.put(`${path}/${c.id}`, { code: 'x' }), 401, 'unauthenticated');
    expectHidden(await server.api.as(crew.outsider).put(`${path}/${c.id}`, { code: 'x' }));
    expectError(await server.api.as(crew.viewer).put(`${path}/${c.id}`, { code: 'x' }), 403, 'forbidden');
    expectInvalidField(await server.api.as(crew.editor).put(`${path}/${c.id}`, { code: 12 }), 'code');
  });

  it('keeps live edits the row has not seen yet (a Yjs merge, not an overwrite)', async () => {
    const base = 'line one\nline two\nline three\n';
    const c = await buildComponent(server, ds.id, crew.editor, { code: base });
    const name = `component:${c.id}`;
    // A live collaborator appends to line three; the row is not materialised yet.
    const client = await yClient(server, name);
    const update = edit(client, (doc) => doc.getText('code').insert(base.indexOf('three'), 'number '));
    await server.services.documents.applyUpdate(name, update, { actor: null, source: 'socket' });
    const row = await server.db.component.findUniqueOrThrow({ where: { id: c.id } });
    expect(row.code).toBe(base);

    // A REST client who read `base` changes line one.
    const put = await server.api.as(crew.editor).put(`${path}/${c.id}`, { code: base.replace('one', 'ONE') });
    expect(put.status).toBe(200);
    expect(put.body.code).toBe('line ONE\nline two\nline number three\n');
    const live = await server.services.documents.read(name, null, (doc) => doc.getText('code').toString());
    expect(live).toBe('line ONE\nline two\nline number three\n');
  });

  it('refuses a stale If-Match or version with 409 and accepts the current one', async () => {
    const c = await buildComponent(server, ds.id, crew.editor);
    const first = await server.api
      .as(crew.editor)
      .put(`${path}/${c.id}`, { documentation: 'v2' })
      .set('If-Match', '"1"');
    expect(first.status).toBe(200);
    expect(first.headers.etag).toBe('"2"');
    const stale = await server.api
      .as(crew.editor)
      .put(`${path}/${c.id}`, { documentation: 'v3' })
      .set('If-Match', '"1"');
    expectError(stale, 409, 'conflict');
    expect(stale.body.error.details).toEqual({ currentVersion: 2 });
    expectError(
      await server.api.as(crew.editor).put(`${path}/${c.id}`, { documentation: 'v3', version: 1 }),
      409,
      'conflict',
    );
    expect((await server.api.as(crew.editor).put(`${path}/${c.id}`, { documentation: 'v3', version: 2 })).status).toBe(
      200,
    );
  });

  it('does not bump the version when nothing changed', async () => {
    const c = await buildComponent(server, ds.id, crew.editor, { code: 'same' });
    const res = await server.api.as(crew.editor).put(`${path}/${c.id}`, { code: 'same' });
    expect(res.body.version).toBe(1);
  });
});

describe('versions, diff and revert', () => {
  it('saves versions, diffs them field by field, and reverts as a new version', async () => {
    const c = await buildComponent(server, ds.id, crew.editor, {
      code: 'const a = 1;\n',
      documentation: 'First',
      props: { size: { type: 'string' } },
    });
    const p = `${path}/${c.id}`;
    await server.api.as(crew.editor).put(p, {
      code: 'const a = 2;\n',
      props: { size: { type: 'string' }, tone: { type: 'string' } },
      saveVersion: { message: 'Two' },
    });
    const versions = await server.api.as(crew.viewer).get(`${p}/versions`);
    expect(versions.body.items.map((v: { version: number; message: string }) => [v.version, v.message])).toEqual([
      [2, 'Two'],
      [1, 'Created'],
    ]);

    const diff = await server.api.as(crew.viewer).get(`${p}/versions/1/diff/2`);
    expect(diff.status).toBe(200);
    const fields = diff.body.changes.map((ch: { field: string }) => ch.field);
    expect(fields).toEqual(['code', 'props.tone']);
    expect(diff.body.changes[0].patch).toContain('-const a = 1;');
    expect(diff.body.changes[0].patch).toContain('+const a = 2;');
    expectError(await server.api.as(crew.viewer).get(`${p}/versions/1/diff/99`), 404, 'not_found');

    expectError(await server.api.as(crew.viewer).post(`${p}/revert/1`), 403, 'forbidden');
    const reverted = await server.api.as(crew.editor).post(`${p}/revert/1`);
    expect(reverted.status).toBe(200);
    expect(reverted.body).toMatchObject({ code: 'const a = 1;\n', version: 3, props: { size: { type: 'string' } } });
    const history = await server.api.as(crew.viewer).get(`${p}/versions`);
    expect(history.body.items.map((v: { version: number }) => v.version)).toEqual([3, 2, 1]);
    expect(history.body.items[0].message).toBe('Reverted to version 1');
    // The live document holds the reverted content too: collaborators see it.
    expect(await server.services.documents.read(`component:${c.id}`, null, (d) => d.getText('code').toString())).toBe(
      'const a = 1;\n',
    );
  });

  it('hides another team’s history', async () => {
    const c = await buildComponent(server, ds.id, crew.editor);
    expectHidden(await server.api.as(crew.outsider).get(`${path}/${c.id}/versions`));
    expectHidden(await server.api.as(crew.outsider).post(`${path}/${c.id}/revert/1`));
  });
});

describe('DELETE /api/design-systems/:dsId/components/:id', () => {
  it('deletes for editors only, and the document goes too', async () => {
    const c = await buildComponent(server, ds.id, crew.editor);
    expectError(await server.api.as(crew.viewer).delete(`${path}/${c.id}`), 403, 'forbidden');
    expectHidden(await server.api.as(crew.outsider).delete(`${path}/${c.id}`));
    expect((await server.api.as(crew.editor).delete(`${path}/${c.id}`)).status).toBe(204);
    expectHidden(await server.api.as(crew.editor).get(`${path}/${c.id}`));
    expect(await server.db.document.findUnique({ where: { name: `component:${c.id}` } })).toBeNull();
  });
});
