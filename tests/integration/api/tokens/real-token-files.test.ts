// The token pipeline end to end over HTTP, on design-token files no one here wrote.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import supertest from 'supertest';
import { buildCrew, buildDesignSystem } from '../../../support/factories.ts';
import { startTestServer, type TestServer } from '../../../support/server.ts';
import { cssVariables, PRIMER, readTree, resolveVars, SPECTRUM } from '../../../unit/services/tokens/helpers.ts';

let server: TestServer;
let crew: Awaited<ReturnType<typeof buildCrew>>;
beforeAll(async () => {
  server = await startTestServer();
  crew = await buildCrew(server);
});
afterAll(() => server.close());

function upload(dsId: string, files: { path: string; content: string }[], fields: Record<string, string> = {}) {
  const req = supertest(server.url)
    .post(`/api/design-systems/${dsId}/tokens/import`)
    .set('Authorization', `Bearer ${crew.editor.accessToken}`);
  for (const [k, v] of Object.entries(fields)) req.field(k, v);
  for (const f of files) req.attach('files', Buffer.from(f.content), f.path.split('/').pop() as string);
  return req;
}

describe('real token packages over HTTP', () => {
  it("imports all of Primer's DTCG sources and exports its spacing as Primer ships it", async () => {
    const ds = await buildDesignSystem(server, crew.team, crew.editor);
    const files = readTree(`${PRIMER}/src/tokens`, '.json5');
    const res = await upload(ds.id, files);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ format: 'dtcg', created: res.body.total });
    expect(res.body.total).toBeGreaterThan(1000);
    const rows = await server.db.designToken.count({ where: { designSystemId: ds.id } });
    expect(rows).toBe(res.body.total);

    const css = await server.api
      .as(crew.viewer)
      .get(`/api/design-systems/${ds.id}/tokens/export?format=css&remBase=16`);
    const ours = cssVariables(css.text);
    const dist = ['base/size', 'functional/size', 'functional/spacing'].flatMap((dir) =>
      readTree(`${PRIMER}/dist/css/${dir}`, '.css'),
    );
    const theirs = cssVariables(dist.map((f) => f.content).join('\n'));
    // Primer declares a few variables twice (media-query variants); ours must be one of them.
    const mismatches: string[] = [];
    let compared = 0;
    for (const [name, values] of theirs) {
      const mine = ours.get(name);
      if (!mine) continue;
      compared++;
      const expected = values.map((v) => resolveVars(v, theirs));
      if (!mine.some((v) => expected.includes(v)))
        mismatches.push(`${name}: ours ${mine.join(' | ')}, Primer ${expected.join(' | ')}`);
    }
    expect(compared).toBeGreaterThan(120);
    expect(mismatches).toEqual([]);
  }, 60_000);

  it("reports which of Spectrum's sets to choose, then imports with them", async () => {
    const ds = await buildDesignSystem(server, crew.team, crew.editor);
    const files = readTree(`${SPECTRUM}/src`, '.json');
    const refused = await upload(ds.id, files);
    expect(refused.status).toBe(422);
    const messages = refused.body.error.details
      .filter((p: { code: string }) => p.code === 'set_required')
      .map((p: { message: string }) => p.message);
    expect(messages.join('\n')).toMatch(/dark, light, wireframe/);
    expect(messages.join('\n')).toMatch(/desktop, mobile/);
    expect(await server.db.designToken.count({ where: { designSystemId: ds.id } })).toBe(0);

    const ok = await upload(ds.id, files, { sets: 'light,desktop' });
    expect(ok.status).toBe(200);
    expect(ok.body.total).toBeGreaterThan(2000);
  }, 60_000);
});
