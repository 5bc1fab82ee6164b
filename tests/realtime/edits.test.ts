import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import * as Y from 'yjs';
import { buildComponent, buildCrew, buildDesignSystem } from '../support/factories.ts';
import { call, joinDesignSystem, next, type Client } from '../support/realtime.ts';
import { startTestServer, type TestServer } from '../support/server.ts';
import { edit, yClient } from '../support/yjs-client.ts';

let server: TestServer;
let crew: Awaited<ReturnType<typeof buildCrew>>;
let ds: { id: string };
let open: Client[] = [];
beforeAll(async () => {
  server = await startTestServer();
  crew = await buildCrew(server);
  ds = await buildDesignSystem(server, crew.team, crew.editor);
});
afterEach(() => {
  for (const c of open) c.close();
  open = [];
});
afterAll(() => server.close());

/** A client of `who` in the test design system. */
const joined = async (who: { accessToken: string }) => (await joinDesignSystem(server, who, ds.id, open)).socket;

describe('component-update', () => {
  it('applies a binary Yjs update and tells the others with component-changed', async () => {
    const c = await buildComponent(server, ds.id, crew.editor, { code: 'abc' });
    const a = await joined(crew.editor);
    const b = await joined(crew.viewer);
    const client = await yClient(server, `component:${c.id}`);
    const update = edit(client, (d) => d.getText('code').insert(3, 'def'));
    const changed = next(b, 'component-changed');
    expect((await call(a, 'component-update', { componentId: c.id, changes: update })).ok).toBe(true);
    const got = await changed;
    expect(got.componentId).toBe(c.id);
    expect(got.userId).toBe(crew.editor.id);
    const mirror = new Y.Doc();
    Y.applyUpdate(mirror, await server.services.documents.encodeState(`component:${c.id}`, null));
    Y.applyUpdate(mirror, new Uint8Array(got.changes));
    expect(mirror.getText('code').toString()).toBe('abcdef');
  });

  it('applies field changes like a REST PUT', async () => {
    const c = await buildComponent(server, ds.id, crew.editor, { code: 'one' });
    const a = await joined(crew.editor);
    const b = await joined(crew.viewer);
    const changed = next(b, 'component-changed');
    expect(
      (await call(a, 'component-update', { componentId: c.id, changes: { code: 'two', documentation: 'Docs' } })).ok,
    ).toBe(true);
    expect(await changed).toMatchObject({
      componentId: c.id,
      userId: crew.editor.id,
      changes: { fields: ['code', 'docs'], version: 2 },
    });
    const rest = await server.api.as(crew.viewer).get(`/api/design-systems/${ds.id}/components/${c.id}`);
    expect(rest.body).toMatchObject({ code: 'two', documentation: 'Docs' });
  });

  it('lets viewers receive but never write', async () => {
    const c = await buildComponent(server, ds.id, crew.editor, { code: 'ro' });
    const v = await joined(crew.viewer);
    const update = edit(await yClient(server, `component:${c.id}`), (d) => d.getText('code').insert(0, 'x'));
    expect((await call(v, 'component-update', { componentId: c.id, changes: update })).error?.code).toBe('forbidden');
    expect((await call(v, 'component-update', { componentId: c.id, changes: { code: 'hacked' } })).error?.code).toBe(
      'forbidden',
    );
    expect(await server.services.documents.read(`component:${c.id}`, null, (d) => d.getText('code').toString())).toBe(
      'ro',
    );
  });

  it('refuses malformed updates and unknown fields, and the document stays intact', async () => {
    const c = await buildComponent(server, ds.id, crew.editor, { code: 'safe' });
    const a = await joined(crew.editor);
    expect(
      (await call(a, 'component-update', { componentId: c.id, changes: Buffer.from([9, 9, 9, 200]) })).error?.code,
    ).toBe('invalid_update');
    expect((await call(a, 'component-update', { componentId: c.id, changes: { evil: true } })).error?.code).toBe(
      'validation_failed',
    );
    expect(await server.services.documents.read(`component:${c.id}`, null, (d) => d.getText('code').toString())).toBe(
      'safe',
    );
  });
});

describe('token-update and conflicts', () => {
  it('changes a token, tells the room, and warns the user whose value was replaced', async () => {
    const created = await server.api
      .as(crew.editor)
      .post(`/api/design-systems/${ds.id}/tokens`, { path: 'color.accent', $value: '#111111', $type: 'color' });
    const tokenId = created.body.id;
    const a = await joined(crew.editor);
    const b = await joined(crew.admin);
    expect(
      (await call(a, 'token-update', { tokenId, changes: { $value: '#222222' }, base: { $value: '#111111' } })).ok,
    ).toBe(true);
    const conflict = next(a, 'conflict-detected');
    const changed = next(a, 'token-changed', (p) => p.userId === crew.admin.id);
    // B writes on top of the old value it saw: A's #222222 is replaced.
    expect(
      (await call(b, 'token-update', { tokenId, changes: { $value: '#333333' }, base: { $value: '#111111' } })).ok,
    ).toBe(true);
    expect(await conflict).toMatchObject({
      resourceId: tokenId,
      conflictData: { field: '$value', yourValue: '#222222', newValue: '#333333', by: crew.admin.id },
    });
    expect(await changed).toMatchObject({ tokenId, changes: { $value: '#333333' } });
    // Writing over a value you saw is no conflict.
    const quiet: unknown[] = [];
    b.on('conflict-detected', (p) => quiet.push(p));
    expect(
      (await call(a, 'token-update', { tokenId, changes: { $value: '#444444' }, base: { $value: '#333333' } })).ok,
    ).toBe(true);
    await new Promise((r) => setTimeout(r, 200));
    expect(quiet).toEqual([]);
    expect((await call(a, 'token-update', { tokenId, changes: { $value: 'not a colour' } })).error?.code).toBe(
      'invalid_tokens',
    );
  });

  it('tells a REST writer over their socket when their write was stale', async () => {
    const c = await buildComponent(server, ds.id, crew.editor);
    const socket = await joined(crew.editor);
    await server.api.as(crew.admin).put(`/api/design-systems/${ds.id}/components/${c.id}`, { code: 'newer' });
    const conflict = next(socket, 'conflict-detected');
    const stale = await server.api
      .as(crew.editor)
      .put(`/api/design-systems/${ds.id}/components/${c.id}`, { code: 'older', version: 1 });
    expect(stale.status).toBe(409);
    expect(await conflict).toMatchObject({
      resourceId: c.id,
      conflictData: { reason: 'stale_write', yourVersion: 1, currentVersion: 2 },
    });
  });
});
