// A comment as the INSERT … RETURNING of POST /api/comments answers it must be the row Prisma reads:
// every column, in Prisma's types (a column added to the model and missed by the mapper fails here
// or in the type check).
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { commentOf } from '../../../../src/services/comments/comment-rows.ts';
import { buildComponent, buildCrew, buildDesignSystem } from '../../../support/factories.ts';
import { startTestServer, type TestServer } from '../../../support/server.ts';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server.close();
});

describe('commentOf', () => {
  it('maps a raw comments row to exactly what Prisma reads, for a comment with mentions and a reply', async () => {
    const crew = await buildCrew(server);
    const ds = await buildDesignSystem(server, crew.team, crew.editor);
    const component = await buildComponent(server, ds.id, crew.editor);
    const root = await server.api
      .as(crew.editor)
      .post('/api/comments', { resourceType: 'component', resourceId: component.id, content: 'Looks good' });
    expect(root.status).toBe(201);
    const reply = await server.api.as(crew.admin).post('/api/comments', {
      resourceType: 'component',
      resourceId: component.id,
      parentId: root.body.id,
      content: 'Thanks',
      mentions: [crew.editor.id],
    });
    expect(reply.status).toBe(201);
    for (const id of [root.body.id as string, reply.body.id as string]) {
      const viaPrisma = await server.db.comment.findUniqueOrThrow({ where: { id } });
      const [raw] = await server.db.$queryRaw<Parameters<typeof commentOf>[0][]>`
        SELECT * FROM comments WHERE id = ${id}::uuid`;
      const mapped = commentOf(raw as Parameters<typeof commentOf>[0]);
      expect(mapped).toEqual(viaPrisma);
      expect(Object.keys(mapped).sort()).toEqual(Object.keys(viaPrisma).sort());
    }
    const stored = await server.db.comment.findUniqueOrThrow({ where: { id: reply.body.id } });
    expect(stored).toMatchObject({ parentId: root.body.id, mentions: [crew.editor.id], anchor: null });
  });
});
