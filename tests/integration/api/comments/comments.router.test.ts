import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  addMember,
  buildApiKey,
  buildComponent,
  buildCrew,
  buildDesignSystem,
  buildUser,
} from '../../../support/factories.ts';
import { expectError, expectHidden, expectInvalidField } from '../../../support/expect-error.ts';
import { call, connect, next, type Client } from '../../../support/realtime.ts';
import { startTestServer, type TestServer } from '../../../support/server.ts';
import { edit, yClient } from '../../../support/yjs-client.ts';

let server: TestServer;
let crew: Awaited<ReturnType<typeof buildCrew>>;
let ds: { id: string };
let component: { id: string };
const sockets: Client[] = [];
beforeAll(async () => {
  server = await startTestServer({ COMMENT_RATE_PER_MINUTE: '200' });
  crew = await buildCrew(server);
  ds = await buildDesignSystem(server, crew.team, crew.editor);
  component = await buildComponent(server, ds.id, crew.editor, { code: 'const a = 1;\nconst b = 2;\n' });
});
afterAll(async () => {
  for (const s of sockets) s.close();
  await server.close();
});

const comment = (who: { accessToken: string } | string, body: Record<string, unknown>) =>
  server.api.as(who).post('/api/comments', { resourceType: 'component', resourceId: component.id, ...body });
const handleOf = async (userId: string) =>
  (await server.db.user.findUniqueOrThrow({ where: { id: userId } })).handle as string;
const inbox = async (who: { accessToken: string }) => (await server.api.as(who).get('/api/notifications')).body;

describe('POST /api/comments', () => {
  it('checks authentication, team and body', async () => {
    expectError(
      await server.api.post('/api/comments', { resourceType: 'component', resourceId: component.id, content: 'x' }),
      401,
      'unauthenticated',
    );
    expectHidden(await comment(crew.outsider, { content: 'peek' }));
    expectInvalidField(await comment(crew.viewer, { content: '' }), 'content');
    expectInvalidField(await comment(crew.viewer, { content: 'x'.repeat(10_001) }), 'content');
    expectInvalidField(
      await server.api
        .as(crew.viewer)
        .post('/api/comments', { resourceType: 'file', resourceId: component.id, content: 'x' }),
      'resourceType',
    );
    const key = await buildApiKey(server, crew.team, crew.admin, ['write']);
    expectError(await comment(key, { content: 'bot' }), 403, 'user_required');
  });

  it('finds the team of token and design-system comments as of component ones, and hides other teams', async () => {
    const created = await server.api
      .as(crew.editor)
      .post(`/api/design-systems/${ds.id}/tokens`, { path: 'color.commented', $value: '#123456', $type: 'color' });
    expect(created.status).toBe(201);
    const tokenId = created.body.id as string;
    for (const [resourceType, resourceId] of [
      ['token', tokenId],
      ['designSystem', ds.id],
    ] as const) {
      const body = { resourceType, resourceId, content: `on a ${resourceType}` };
      const res = await server.api.as(crew.viewer).post('/api/comments', body);
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({ designSystemId: ds.id, resourceType, resourceId, reactions: [] });
      expect(res.body.author).toEqual({
        id: crew.viewer.id,
        name: crew.viewer.name,
        handle: await handleOf(crew.viewer.id),
        avatarUrl: null,
      });
      expectHidden(await server.api.as(crew.outsider).post('/api/comments', body));
    }
    expectHidden(
      await comment(crew.viewer, { resourceType: 'token', resourceId: component.id, content: 'no such token' }),
    );
  });

  it('lets viewers comment and stores Markdown as written, rendering sanitised HTML', async () => {
    const res = await comment(crew.viewer, {
      content: '**Bold** <script>alert(1)</script> [x](javascript:alert(1)) <img src=x onerror=alert(1)>',
    });
    expect(res.status).toBe(201);
    expect(res.body.content).toContain('<script>alert(1)</script>');
    expect(res.body.html).toContain('<strong>Bold</strong>');
    expect(res.body.html).not.toMatch(/<script|onerror|javascript:/i);
    expect(res.body.author).toMatchObject({ id: crew.viewer.id, name: crew.viewer.name });
  });
});

describe('threads, replies, reactions, mentions and notifications', () => {
  it('notifies each mentioned member exactly once, live and in the inbox; participants hear about replies', async () => {
    const viewerSocket = await connect(server, crew.viewer);
    sockets.push(viewerSocket);
    const live = next(viewerSocket, 'notification');
    const before = (await inbox(crew.viewer)).items.length;
    // Mentioned twice (handle and structured) and also a participant later: still one notification.
    const root = await comment(crew.editor, {
      content: `@${await handleOf(crew.viewer.id)} and @${await handleOf(crew.admin.id)}, look`,
      mentions: [crew.viewer.id],
    });
    expect(root.status).toBe(201);
    expect(root.body.mentions.sort()).toEqual([crew.admin.id, crew.viewer.id].sort());
    expect((await live).notification).toMatchObject({
      type: 'mention',
      payload: { commentId: root.body.id, threadId: root.body.id },
    });
    await server.services.events.drain();
    const viewerInbox = await inbox(crew.viewer);
    expect(viewerInbox.items.length - before).toBe(1);
    expect(viewerInbox.unreadCount).toBeGreaterThan(0);

    const reply = await comment(crew.admin, { content: 'Agreed', parentId: root.body.id });
    expect(reply.body.parentId).toBe(root.body.id);
    // A reply to a reply joins the same thread.
    const nested = await comment(crew.viewer, { content: 'Me too', parentId: reply.body.id });
    expect(nested.body.parentId).toBe(root.body.id);
    await server.services.events.drain();
    const editorInbox = await inbox(crew.editor);
    expect(
      editorInbox.items.filter(
        (n: { type: string; payload: { threadId: string } }) =>
          n.type === 'reply' && n.payload.threadId === root.body.id,
      ),
    ).toHaveLength(2);

    const react = await server.api.as(crew.viewer).post(`/api/comments/${root.body.id}/reactions`, { emoji: '👍' });
    await server.api.as(crew.viewer).post(`/api/comments/${root.body.id}/reactions`, { emoji: '👍' }); // idempotent
    await server.api.as(crew.admin).post(`/api/comments/${root.body.id}/reactions`, { emoji: '👍' });
    expect(react.status).toBe(200);
    expectInvalidField(
      await server.api.as(crew.admin).post(`/api/comments/${root.body.id}/reactions`, { emoji: 'thumbs' }),
      'emoji',
    );

    const threads = await server.api
      .as(crew.viewer)
      .get(`/api/comments?resource_type=component&resource_id=${component.id}&status=open`);
    const thread = threads.body.items.find((t: { id: string }) => t.id === root.body.id);
    expect(thread.replies.map((r: { content: string }) => r.content)).toEqual(['Agreed', 'Me too']);
    expect(thread.reactions).toEqual([{ emoji: '👍', count: 2, userIds: [crew.viewer.id, crew.admin.id] }]);

    expect(
      (await server.api.as(crew.viewer).delete(`/api/comments/${root.body.id}/reactions/${encodeURIComponent('👍')}`))
        .body.reactions,
    ).toEqual([{ emoji: '👍', count: 1, userIds: [crew.admin.id] }]);
    expectHidden(
      await server.api.as(crew.outsider).get(`/api/comments?resource_type=component&resource_id=${component.id}`),
    );
  });

  it('refuses structured mentions of non-members', async () => {
    const res = await comment(crew.editor, { content: 'hey', mentions: [crew.outsider.id] });
    expectInvalidField(res, 'mentions.0');
    expect(res.body.error.details[0]).toMatchObject({ code: 'not_a_member' });
  });

  it('keeps an @handle that is no member as text and tells the author it notified no one', async () => {
    const outsider = await handleOf(crew.outsider.id);
    const viewer = await handleOf(crew.viewer.id);
    const before = (await inbox(crew.outsider)).items.length;
    const text = await comment(crew.editor, { content: `@${outsider} and @${viewer}: see @media and @Nobody-here` });
    expect(text.status).toBe(201);
    expect(text.body.content).toBe(`@${outsider} and @${viewer}: see @media and @Nobody-here`);
    expect(text.body.mentions).toEqual([crew.viewer.id]);
    // An outsider and a handle nobody has are told apart by no one: both are simply not members.
    expect(text.body.unmatchedMentions.sort()).toEqual([outsider, 'media', 'nobody-here'].sort());
    expect((await inbox(crew.outsider)).items.length).toBe(before);
    // Others reading the comment see the comment only, not the author's hint.
    expect((await server.api.as(crew.viewer).get(`/api/comments/${text.body.id}`)).body).not.toHaveProperty(
      'unmatchedMentions',
    );
    const edited = await server.api
      .as(crew.editor)
      .put(`/api/comments/${text.body.id}`, { content: `@${viewer} only` });
    expect(edited.body.unmatchedMentions).toEqual([]);
  });

  it('respects muted threads and mentions-only', async () => {
    const root = await comment(crew.owner, { content: 'Thread to mute' });
    await server.api.as(crew.viewer).put('/api/notifications/preferences', { mutedThreads: [root.body.id] });
    await comment(crew.viewer, { content: 'joining', parentId: root.body.id });
    await server.api.as(crew.admin).put('/api/notifications/preferences', { mentionsOnly: true });
    await comment(crew.admin, { content: 'me too', parentId: root.body.id });
    const before = (await inbox(crew.viewer)).items.length;
    const adminBefore = (await inbox(crew.admin)).items.length;
    await comment(crew.owner, { content: `update, @${await handleOf(crew.viewer.id)}`, parentId: root.body.id });
    await server.services.events.drain();
    expect((await inbox(crew.viewer)).items.length).toBe(before); // muted
    expect((await inbox(crew.admin)).items.length).toBe(adminBefore); // a reply, not a mention
    await server.api.as(crew.viewer).put('/api/notifications/preferences', { mutedThreads: [] });
    await server.api.as(crew.admin).put('/api/notifications/preferences', { mentionsOnly: false });
  });

  it('marks notifications read one by one and all at once', async () => {
    await comment(crew.editor, { content: `ping @${await handleOf(crew.viewer.id)}` });
    await server.services.events.drain();
    const unread = await server.api.as(crew.viewer).get('/api/notifications?unread=true');
    const first = unread.body.items[0];
    expect((await server.api.as(crew.viewer).post(`/api/notifications/${first.id}/read`)).body.read).toBe(true);
    expectHidden(await server.api.as(crew.editor).post(`/api/notifications/${first.id}/read`));
    await server.api.as(crew.viewer).post('/api/notifications/read-all');
    expect((await server.api.as(crew.viewer).get('/api/notifications?unread=true')).body).toMatchObject({
      items: [],
      unreadCount: 0,
    });
  });
});

describe('the inbox of someone who left the team', () => {
  it("no longer shows the team's comment excerpts, nor counts them", async () => {
    const leaver = await buildUser(server);
    await addMember(server, crew.team, crew.owner, leaver, 'viewer');
    await comment(crew.editor, { content: `for @${await handleOf(leaver.id)}: the secret roadmap` });
    await server.services.events.drain();
    expect((await inbox(leaver)).items.map((n: { payload: { excerpt?: string } }) => n.payload.excerpt)).toEqual([
      expect.stringContaining('secret roadmap'),
    ]);
    expect((await server.api.as(crew.owner).delete(`/api/teams/${crew.team.id}/members/${leaver.id}`)).status).toBe(
      204,
    );
    expect(await inbox(leaver)).toMatchObject({ items: [], unreadCount: 0 });
  });
});

describe('editing, deleting, resolving', () => {
  it('lets only the author edit; the author or an admin delete; a deleted root keeps its replies', async () => {
    const root = await comment(crew.editor, { content: 'original' });
    await comment(crew.viewer, { content: 'a reply', parentId: root.body.id });
    expectError(
      await server.api.as(crew.admin).put(`/api/comments/${root.body.id}`, { content: 'hijack' }),
      403,
      'forbidden',
    );
    const edited = await server.api.as(crew.editor).put(`/api/comments/${root.body.id}`, { content: 'edited' });
    expect(edited.body).toMatchObject({ content: 'edited', editedAt: expect.any(String) });
    expectError(await server.api.as(crew.viewer).delete(`/api/comments/${root.body.id}`), 403, 'forbidden');
    expect((await server.api.as(crew.admin).delete(`/api/comments/${root.body.id}`)).status).toBe(204);
    const threads = await server.api
      .as(crew.viewer)
      .get(`/api/comments?resource_type=component&resource_id=${component.id}`);
    const thread = threads.body.items.find((t: { id: string }) => t.id === root.body.id);
    expect(thread).toMatchObject({ deleted: true, author: null, content: '_This comment was deleted._' });
    expect(thread.replies.map((r: { content: string }) => r.content)).toEqual(['a reply']);
    const lone = await comment(crew.viewer, { content: 'solo' });
    expect((await server.api.as(crew.viewer).delete(`/api/comments/${lone.body.id}`)).status).toBe(204);
    expectHidden(await server.api.as(crew.viewer).get(`/api/comments/${lone.body.id}`));
  });

  it('resolves and reopens threads, filterable', async () => {
    const root = await comment(crew.viewer, { content: 'resolve me' });
    const other = await comment(crew.admin, { content: 'not yours' });
    expectError(await server.api.as(crew.viewer).post(`/api/comments/${other.body.id}/resolve`, {}), 403, 'forbidden');
    const resolved = await server.api.as(crew.editor).post(`/api/comments/${root.body.id}/resolve`, {});
    expect(resolved.body).toMatchObject({ resolved: true, resolvedById: crew.editor.id });
    const open = await server.api
      .as(crew.viewer)
      .get(`/api/comments?resource_type=component&resource_id=${component.id}&status=open`);
    expect(open.body.items.map((t: { id: string }) => t.id)).not.toContain(root.body.id);
    const done = await server.api
      .as(crew.viewer)
      .get(`/api/comments?resource_type=component&resource_id=${component.id}&status=resolved`);
    expect(done.body.items.map((t: { id: string }) => t.id)).toContain(root.body.id);
    expect((await server.api.as(crew.viewer).post(`/api/comments/${root.body.id}/reopen`)).body.resolved).toBe(false);
    // A bare POST (no body, no Content-Type) takes the defaults; a form body is refused as such.
    expect((await server.api.as(crew.editor).post(`/api/comments/${root.body.id}/resolve`)).body.resolved).toBe(true);
    const form = await server.api
      .as(crew.editor)
      .post(`/api/comments/${root.body.id}/resolve`)
      .type('form')
      .send('resolved=false');
    expectError(form, 415, 'unsupported_media_type');
  });
});

describe('query and body names: camelCase, with the snake_case spelling as an alias', () => {
  it('lists threads by ?resourceType&resourceId and by ?resource_type&resource_id alike', async () => {
    const root = await comment(crew.viewer, { content: 'spelled both ways' });
    const camel = await server.api
      .as(crew.viewer)
      .get(`/api/comments?resourceType=component&resourceId=${component.id}`);
    const snake = await server.api
      .as(crew.viewer)
      .get(`/api/comments?resource_type=component&resource_id=${component.id}`);
    expect(camel.status).toBe(200);
    expect(camel.body.items.map((t: { id: string }) => t.id)).toContain(root.body.id);
    expect(snake.body).toEqual(camel.body);
    expectInvalidField(
      await server.api.as(crew.viewer).get(`/api/comments?resourceType=component`),
      'query.resourceId',
    );
    expectInvalidField(
      await server.api.as(crew.viewer).get(`/api/comments?resource_type=component&resource_id=nope`),
      'query.resourceId',
    );
  });

  it('refuses both spellings of one name at once', async () => {
    const res = await server.api
      .as(crew.viewer)
      .get(`/api/comments?resourceType=component&resource_type=token&resourceId=${component.id}`);
    expectInvalidField(res, 'query.resourceType');
    expect(res.body.error.details[0]).toMatchObject({ code: 'duplicate_alias' });
  });

  it('accepts resource_type and resource_id in the POST body too', async () => {
    const res = await server.api
      .as(crew.viewer)
      .post('/api/comments', { resource_type: 'component', resource_id: component.id, content: 'snake' });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ resourceType: 'component', resourceId: component.id });
  });
});

describe('code anchors', () => {
  it('keeps pointing at the same text while others edit before it', async () => {
    const c = await buildComponent(server, ds.id, crew.editor, { code: 'const a = 1;\nconst target = 2;\n' });
    const offset = 'const a = 1;\n'.length;
    const res = await server.api.as(crew.viewer).post('/api/comments', {
      resourceType: 'component',
      resourceId: c.id,
      content: 'This one',
      anchor: { offset, length: 'const target'.length },
    });
    expect(res.body.anchor).toEqual({ start: offset, end: offset + 12, text: 'const target' });
    const name = `component:${c.id}`;
    const update = edit(await yClient(server, name), (d) => d.getText('code').insert(0, '// header\n// more\n'));
    await server.services.documents.applyUpdate(name, update, { actor: null, source: 'socket' });
    const after = await server.api.as(crew.viewer).get(`/api/comments/${res.body.id}`);
    expect(after.body.anchor).toEqual({ start: offset + 18, end: offset + 30, text: 'const target' });
    expectInvalidField(
      await server.api.as(crew.viewer).post('/api/comments', {
        resourceType: 'designSystem',
        resourceId: ds.id,
        content: 'x',
        anchor: { offset: 0 },
      }),
      'anchor',
    );
  });
});

describe('realtime', () => {
  it('comment-create and reaction-add over the socket reach the room like REST ones', async () => {
    const a = await connect(server, crew.editor);
    const b = await connect(server, crew.viewer);
    sockets.push(a, b);
    await call(a, 'join-design-system', { designSystemId: ds.id });
    await call(b, 'join-design-system', { designSystemId: ds.id });
    const added = next(b, 'comment-added');
    const ack = await call(a, 'comment-create', {
      comment: { resourceType: 'component', resourceId: component.id, content: 'over the socket' },
    });
    expect(ack.ok).toBe(true);
    expect((await added).comment).toMatchObject({ id: ack.data.id, content: 'over the socket' });
    const reacted = next(a, 'reaction-added');
    expect((await call(b, 'reaction-add', { commentId: ack.data.id, emoji: '🎉' })).ok).toBe(true);
    expect(await reacted).toEqual({ commentId: ack.data.id, emoji: '🎉', userId: crew.viewer.id });
    const restAdded = next(b, 'comment-added');
    await comment(crew.admin, { content: 'via REST' });
    expect((await restAdded).comment.content).toBe('via REST');
    const resolved = next(b, 'comment-resolved');
    await call(a, 'comment-resolve', { commentId: ack.data.id });
    expect((await resolved).comment.resolved).toBe(true);
    expect(
      (
        await call(b, 'comment-create', {
          comment: { resourceType: 'component', resourceId: component.id, content: '' },
        })
      ).error?.code,
    ).toBe('validation_failed');
  });
});
