// The design-system row of the access check, read with raw SQL, must be the row Prisma reads: every
// column, in Prisma's types (a column added to the model and missed by the mapper fails here or in
// the type check).
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { findDesignSystem } from '../../../../src/services/design-systems/design-system-rows.ts';
import { buildCrew, buildDesignSystem } from '../../../support/factories.ts';
import { eventually } from '../../../support/realtime.ts';
import { startTestServer, type TestServer } from '../../../support/server.ts';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server.close();
});

describe('findDesignSystem', () => {
  it('answers exactly what Prisma reads, with and without the optional columns', async () => {
    const crew = await buildCrew(server);
    const bare = await buildDesignSystem(server, crew.team, crew.editor);
    const full = await buildDesignSystem(server, crew.team, crew.editor);
    const as = server.api.as(crew.editor);
    expect((await as.put(`/api/design-systems/${full.id}`, { description: 'Described' })).status).toBe(200);
    expect(
      (await as.post(`/api/design-systems/${full.id}/tokens`, { path: 'color.a', $value: '#111111', $type: 'color' }))
        .status,
    ).toBe(201);
    // The token rows (and the snapshot they were written from) are materialised after the answer.
    await eventually(async () => {
      const row = await server.db.designSystem.findUniqueOrThrow({ where: { id: full.id } });
      return row.tokensSnapshot !== null;
    });
    for (const ds of [bare, full]) {
      const viaPrisma = await server.db.designSystem.findUniqueOrThrow({ where: { id: ds.id } });
      const mapped = await findDesignSystem(server.db, ds.id);
      expect(mapped).toEqual(viaPrisma);
      expect(Object.keys(mapped ?? {}).sort()).toEqual(Object.keys(viaPrisma).sort());
    }
    expect((await findDesignSystem(server.db, full.id))?.description).toBe('Described');
    expect(await findDesignSystem(server.db, '00000000-0000-4000-8000-000000000000')).toBeNull();
    // A malformed id fails as the ORM fails on it.
    const code = (p: Promise<unknown>) =>
      p.then(
        () => 'answered',
        (err: { code?: string }) => err.code,
      );
    expect(await code(findDesignSystem(server.db, 'not-a-uuid'))).toBe(
      await code(server.db.designSystem.findUnique({ where: { id: 'not-a-uuid' } })),
    );
  });
});
