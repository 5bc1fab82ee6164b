// What a comment costs the database, counted on the wire between the server and PostgreSQL: each
// statement costs the server ~300 µs of CPU, so a POST /api/comments should issue only those it
// needs. (Sessions and webhooks are cached per node: a long cache keeps their reads out of the count.)
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { workerDatabaseUrl } from '../../../support/database.ts';
import { buildComponent, buildCrew, buildDesignSystem } from '../../../support/factories.ts';
import { type PgWireProxy, pgWireProxy } from '../../../support/pg-wire-proxy.ts';
import { startTestServer, type TestServer } from '../../../support/server.ts';

let server: TestServer;
let proxy: PgWireProxy;
let crew: Awaited<ReturnType<typeof buildCrew>>;
let component: { id: string };

beforeAll(async () => {
  proxy = await pgWireProxy(await workerDatabaseUrl());
  server = await startTestServer({
    DATABASE_URL: proxy.url,
    COMMENT_RATE_PER_MINUTE: '10000',
    SESSION_CACHE_MS: '60000',
    WEBHOOK_CACHE_MS: '600000',
  });
  crew = await buildCrew(server);
  const ds = await buildDesignSystem(server, crew.team, crew.editor);
  component = await buildComponent(server, ds.id, crew.editor);
}, 30_000);

afterAll(async () => {
  await server?.close();
  await proxy?.close();
});

/** The statements one request and the event handlers it set off sent to PostgreSQL. */
async function statementsOf(request: () => Promise<{ status: number }>, status: number): Promise<string[]> {
  await server.services.events.drain();
  proxy.reset();
  expect((await request()).status).toBe(status);
  await server.services.events.drain();
  expect(proxy.texts()).toHaveLength(proxy.statements());
  return proxy.texts();
}

describe('POST /api/comments', () => {
  it('costs three statements: the owner with the author, the comment, its activity row', async () => {
    const post = (content: string) => () =>
      server.api
        .as(crew.editor)
        .post('/api/comments', { resourceType: 'component', resourceId: component.id, content });
    await statementsOf(post('warms the caches'), 201);
    expect(await statementsOf(post('no mentions, no anchor'), 201)).toEqual([
      expect.stringMatching(/^SELECT o\.team_id, o\.design_system_id, u\.id/),
      expect.stringContaining('INSERT INTO comments'),
      expect.stringContaining('INSERT INTO activity_log'),
    ]);
  });

  it('finds no owner for a missing resource with that one statement', async () => {
    const texts = await statementsOf(
      () =>
        server.api
          .as(crew.editor)
          .post('/api/comments', { resourceType: 'token', resourceId: component.id, content: 'no such token' }),
      404,
    );
    expect(texts).toHaveLength(1);
  });
});
