import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { buildCrew, buildDesignSystem } from '../support/factories.ts';
import { call, collect, connect, eventually, joinDesignSystem, next, sleep, type Client } from '../support/realtime.ts';
import { startTestServer, type TestServer } from '../support/server.ts';

let server: TestServer;
let crew: Awaited<ReturnType<typeof buildCrew>>;
let ds: { id: string };
let open: Client[] = [];
beforeAll(async () => {
  server = await startTestServer({ TYPING_TTL_SECONDS: '1', CURSOR_TICK_MS: '50' });
  crew = await buildCrew(server);
  ds = await buildDesignSystem(server, crew.team, crew.editor);
});
afterEach(() => {
  for (const c of open) c.close();
  open = [];
});
afterAll(() => server.close());

/** A client of `who` in the test design system, with its join ack. */
const joined = (who: { accessToken: string }) => joinDesignSystem(server, who, ds.id, open);

describe('join and leave', () => {
  it('answers the join with presence, locks and typing, and tells the room', async () => {
    const editor = await joined(crew.editor);
    const joinedSeen = next(editor.socket, 'user-joined', (p) => p.user.id === crew.viewer.id);
    const viewer = await joined(crew.viewer);
    expect(viewer.ack.data).toMatchObject({ designSystemId: ds.id, locks: [], typing: [] });
    expect(viewer.ack.data.presence.map((e: { user: { id: string } }) => e.user.id).sort()).toEqual(
      [crew.editor.id, crew.viewer.id].sort(),
    );
    expect(await joinedSeen).toEqual({
      user: expect.objectContaining({ id: crew.viewer.id, name: crew.viewer.name }),
      designSystemId: ds.id,
    });

    const left = next(editor.socket, 'user-left');
    expect((await call(viewer.socket, 'leave-design-system', { designSystemId: ds.id })).ok).toBe(true);
    expect(await left).toEqual({ userId: crew.viewer.id, designSystemId: ds.id });
  });

  it('hides other teams, and names bad payload fields', async () => {
    const socket = await connect(server, crew.outsider);
    open.push(socket);
    expect((await call(socket, 'join-design-system', { designSystemId: ds.id })).error?.code).toBe('not_found');
    const bad = await call(socket, 'join-design-system', { designSystemId: 'nope' });
    expect(bad.error).toMatchObject({ code: 'validation_failed' });
    expect((await call(socket, 'cursor-move', { x: 1, y: 2 })).error?.code).toBe('not_joined');
  });

  it('counts a user with two tabs once, and they leave when the last tab closes', async () => {
    const watcher = await joined(crew.editor);
    const tab1 = await joined(crew.viewer);
    const tab2 = await joined(crew.viewer);
    const rest = await server.api.as(crew.viewer).get(`/api/design-systems/${ds.id}/presence`);
    const entry = rest.body.users.find((u: { user: { id: string } }) => u.user.id === crew.viewer.id);
    expect(entry.connections).toBe(2);
    expect(rest.body.users.filter((u: { user: { id: string } }) => u.user.id === crew.viewer.id)).toHaveLength(1);
    const leftEvents = collect(watcher.socket, 'user-left');
    tab1.socket.close();
    await sleep(300);
    expect(leftEvents).toEqual([]);
    tab2.socket.close();
    await eventually(() => leftEvents.length === 1);
    const after = await server.api.as(crew.viewer).get(`/api/design-systems/${ds.id}/presence`);
    expect(after.body.users.map((u: { user: { id: string } }) => u.user.id)).toEqual([crew.editor.id]);
  });

  it('refuses a join token that belongs to someone else', async () => {
    const socket = await connect(server, crew.editor);
    open.push(socket);
    const ack = await call(socket, 'join-design-system', { designSystemId: ds.id, token: crew.viewer.accessToken });
    expect(ack.error?.code).toBe('invalid_token');
  });
});

describe('presence, cursors, selection', () => {
  it('broadcasts status changes and keeps REST presence in agreement', async () => {
    const a = await joined(crew.editor);
    const b = await joined(crew.viewer);
    const update = next(a.socket, 'presence-update', (p) =>
      p.users.some(
        (u: { status: string; user: { id: string } }) => u.user.id === crew.viewer.id && u.status === 'away',
      ),
    );
    expect((await call(b.socket, 'user-status', { status: 'away' })).ok).toBe(true);
    await update;
    const rest = await server.api.as(crew.editor).get(`/api/design-systems/${ds.id}/presence`);
    expect(rest.body.users.find((u: { user: { id: string } }) => u.user.id === crew.viewer.id).status).toBe('away');
    const row = await server.db.userPresence.findUnique({
      where: { userId_designSystemId: { userId: crew.viewer.id, designSystemId: ds.id } },
    });
    expect(row?.lastSeen).toBeInstanceOf(Date);
  });

  it('coalesces cursor moves: at most one per tick per user, and the latest always arrives', async () => {
    const a = await joined(crew.editor);
    const b = await joined(crew.viewer);
    const seen = collect<{ userId: string; cursor: { x: number; y: number } }>(a.socket, 'cursor-update');
    const mine = collect(b.socket, 'cursor-update');
    const started = Date.now();
    for (let i = 1; i <= 100; i++) b.socket.emit('cursor-move', { x: i, y: i * 2, elementId: 'canvas' });
    await eventually(() => seen.at(-1)?.cursor.x === 100);
    const elapsed = Date.now() - started;
    expect(seen.length).toBeLessThanOrEqual(Math.ceil(elapsed / 50) + 2);
    expect(seen.length).toBeLessThan(100);
    expect(seen.at(-1)).toEqual({
      userId: crew.viewer.id,
      cursor: { x: 100, y: 200, elementId: 'canvas' },
      designSystemId: ds.id,
    });
    expect(mine).toEqual([]); // nobody is shown their own cursor
  });

  it('relays selection changes', async () => {
    const a = await joined(crew.editor);
    const b = await joined(crew.viewer);
    const got = next(a.socket, 'selection-update');
    await call(b.socket, 'selection-change', { componentId: null, selection: { ids: ['node-1'] } });
    expect(await got).toEqual({
      userId: crew.viewer.id,
      selection: { componentId: null, selection: { ids: ['node-1'] } },
      designSystemId: ds.id,
    });
  });
});

describe('typing', () => {
  it('shows who is typing and expires by itself', async () => {
    const a = await joined(crew.editor);
    const b = await joined(crew.viewer);
    const typing = next(a.socket, 'typing-users', (p) => p.users.includes(crew.viewer.id));
    await call(b.socket, 'typing-start', { resourceId: 'thread-1', resourceType: 'thread' });
    expect(await typing).toEqual({ users: [crew.viewer.id], resourceId: 'thread-1', designSystemId: ds.id });
    const late = await joined(crew.owner);
    expect(late.ack.data.typing).toEqual([{ resourceId: 'thread-1', users: [crew.viewer.id] }]);
    const expired = await next(a.socket, 'typing-users', (p) => p.users.length === 0, 4000);
    expect(expired.resourceId).toBe('thread-1');
  });

  it('stops on typing-stop', async () => {
    const a = await joined(crew.editor);
    const b = await joined(crew.viewer);
    await call(b.socket, 'typing-start', { resourceId: 'c-1', resourceType: 'component' });
    const stopped = next(a.socket, 'typing-users', (p) => p.resourceId === 'c-1' && p.users.length === 0);
    await call(b.socket, 'typing-stop', { resourceId: 'c-1', resourceType: 'component' });
    await stopped;
  });
});
