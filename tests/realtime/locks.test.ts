import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { buildComponent, buildCrew, buildDesignSystem } from '../support/factories.ts';
import { call, connect, eventually, joinDesignSystem, next, type Client } from '../support/realtime.ts';
import { startTestServer, type TestServer } from '../support/server.ts';

let server: TestServer;
let crew: Awaited<ReturnType<typeof buildCrew>>;
let ds: { id: string };
let open: Client[] = [];
beforeAll(async () => {
  server = await startTestServer({ LOCK_TTL_SECONDS: '2' });
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

describe('component locks', () => {
  it('locks for the holder, refuses everyone else (socket and REST), and unlocks on edit end', async () => {
    const c = await buildComponent(server, ds.id, crew.editor);
    const holder = await joined(crew.editor);
    const other = await joined(crew.admin);
    const locked = next(other, 'component-locked');
    const ack = await call(holder, 'component-edit-start', { componentId: c.id });
    expect(ack.ok).toBe(true);
    expect(await locked).toEqual({
      componentId: c.id,
      userId: crew.editor.id,
      userName: crew.editor.name,
      designSystemId: ds.id,
    });

    const refused = await call(other, 'component-edit-start', { componentId: c.id });
    expect(refused.error).toMatchObject({
      code: 'locked',
      details: { userId: crew.editor.id, userName: crew.editor.name },
    });
    const rest = await server.api.as(crew.admin).put(`/api/design-systems/${ds.id}/components/${c.id}`, { code: 'x' });
    expect(rest.status).toBe(423);
    expect(rest.body.error).toMatchObject({ code: 'locked', details: { userId: crew.editor.id } });
    const socketWrite = await call(other, 'component-update', { componentId: c.id, changes: { code: 'y' } });
    expect(socketWrite.error?.code).toBe('locked');
    // The holder itself may still write.
    expect(
      (await server.api.as(crew.editor).put(`/api/design-systems/${ds.id}/components/${c.id}`, { code: 'mine' }))
        .status,
    ).toBe(200);

    const join = await call(other, 'join-design-system', { designSystemId: ds.id });
    expect(join.data.locks).toEqual([expect.objectContaining({ componentId: c.id, userId: crew.editor.id })]);

    const unlocked = next(other, 'component-unlocked');
    expect((await call(holder, 'component-edit-end', { componentId: c.id })).ok).toBe(true);
    expect(await unlocked).toEqual({ componentId: c.id, designSystemId: ds.id });
    expect(
      (await server.api.as(crew.admin).put(`/api/design-systems/${ds.id}/components/${c.id}`, { code: 'theirs' }))
        .status,
    ).toBe(200);
  });

  it('releases on disconnect', async () => {
    const c = await buildComponent(server, ds.id, crew.editor);
    const holder = await joined(crew.editor);
    const other = await joined(crew.admin);
    await call(holder, 'component-edit-start', { componentId: c.id });
    const unlocked = next(other, 'component-unlocked');
    holder.close();
    expect(await unlocked).toEqual({ componentId: c.id, designSystemId: ds.id });
  });

  it('keeps a held lock alive by heartbeat and lets a lost one expire', async () => {
    const c = await buildComponent(server, ds.id, crew.editor);
    const holder = await joined(crew.editor);
    await call(holder, 'component-edit-start', { componentId: c.id });
    await new Promise((r) => setTimeout(r, 2600)); // longer than the TTL: renewed by the heartbeat
    expect(await server.services.locks.holder(c.id)).toMatchObject({ userId: crew.editor.id });
    // A lease whose holder stopped renewing (its node died) expires by itself.
    const orphan = await buildComponent(server, ds.id, crew.editor);
    await server.services.locks.acquire({
      componentId: orphan.id,
      designSystemId: ds.id,
      userId: crew.viewer.id,
      userName: 'gone',
      connectionId: 'dead-node-socket',
    });
    await eventually(async () => (await server.services.locks.holder(orphan.id)) === null, 4000);
  });

  it('lets an admin break a lock over the socket and over REST, but not an editor', async () => {
    const c = await buildComponent(server, ds.id, crew.editor);
    const holder = await joined(crew.editor);
    const editor2 = await joined(crew.owner);
    await call(holder, 'component-edit-start', { componentId: c.id });
    const viewer = await joined(crew.viewer);
    expect((await call(viewer, 'component-lock-break', { componentId: c.id })).error?.code).toBe('forbidden');
    const unlocked = next(holder, 'component-unlocked');
    expect((await call(editor2, 'component-lock-break', { componentId: c.id })).data).toEqual({ broken: true });
    expect(await unlocked).toMatchObject({ componentId: c.id, brokenBy: crew.owner.id, formerHolder: crew.editor.id });

    await call(holder, 'component-edit-start', { componentId: c.id });
    expect(
      (await server.api.as(crew.editor).delete(`/api/design-systems/${ds.id}/components/${c.id}/lock`)).status,
    ).toBe(403);
    const again = next(holder, 'component-unlocked');
    expect(
      (await server.api.as(crew.admin).delete(`/api/design-systems/${ds.id}/components/${c.id}/lock`)).status,
    ).toBe(204);
    expect(await again).toMatchObject({ componentId: c.id, brokenBy: crew.admin.id });
  });

  it('refuses locks to viewers and to sockets that did not join', async () => {
    const c = await buildComponent(server, ds.id, crew.editor);
    const viewer = await joined(crew.viewer);
    expect((await call(viewer, 'component-edit-start', { componentId: c.id })).error?.code).toBe('forbidden');
    const stranger = await connect(server, crew.editor);
    open.push(stranger);
    expect((await call(stranger, 'component-edit-start', { componentId: c.id })).error?.code).toBe('not_joined');
    const outsider = await connect(server, crew.outsider);
    open.push(outsider);
    expect((await call(outsider, 'component-edit-start', { componentId: c.id })).error?.code).toBe('not_found');
  });
});
