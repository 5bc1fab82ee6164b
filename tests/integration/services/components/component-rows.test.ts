// The component row as the UPDATE … RETURNING of a REST write answers it must be the row Prisma reads:
// every column, in Prisma's types (a column added to the model and missed by the mapper fails here
// or in the type check).
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { componentOf } from '../../../../src/services/components/component-rows.ts';
import { buildComponent, buildCrew, buildDesignSystem } from '../../../support/factories.ts';
import { startTestServer, type TestServer } from '../../../support/server.ts';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server.close();
});

describe('componentOf', () => {
  it('maps a raw components row to exactly what Prisma reads, after a REST write', async () => {
    const crew = await buildCrew(server);
    const ds = await buildDesignSystem(server, crew.team, crew.editor);
    const component = await buildComponent(server, ds.id, crew.editor, { code: 'a', props: { size: 'md' } });
    const put = await server.api
      .as(crew.editor)
      .put(`/api/design-systems/${ds.id}/components/${component.id}`, { code: 'b', documentation: 'Docs' });
    expect(put.status).toBe(200);
    expect(put.body).toMatchObject({ code: 'b', documentation: 'Docs', version: component.version + 1 });

    const viaPrisma = await server.db.component.findUniqueOrThrow({ where: { id: component.id } });
    const [raw] = await server.db.$queryRaw<Parameters<typeof componentOf>[0][]>`
      SELECT * FROM components WHERE id = ${component.id}::uuid`;
    const mapped = componentOf(raw as Parameters<typeof componentOf>[0]);
    expect(mapped).toEqual(viaPrisma);
    expect(Object.keys(mapped).sort()).toEqual(Object.keys(viaPrisma).sort());
    expect(viaPrisma.docSnapshot).not.toBeNull();
    // The answer of the PUT (built from the UPDATE's row) is what a read answers.
    const get = await server.api.as(crew.editor).get(`/api/design-systems/${ds.id}/components/${component.id}`);
    expect(put.body).toEqual(get.body);
  });
});
