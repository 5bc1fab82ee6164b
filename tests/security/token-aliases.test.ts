// A long alias chain (or a long cycle) in a token import is checked in linear time: the import
// answers promptly and the server keeps serving meanwhile. 2,000 links used to block it for 31 s.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { buildCrew, buildDesignSystem } from '../support/factories.ts';
import { startTestServer, type TestServer } from '../support/server.ts';

let server: TestServer;
let crew: Awaited<ReturnType<typeof buildCrew>>;
beforeAll(async () => {
  server = await startTestServer();
  crew = await buildCrew(server);
});
afterAll(() => server.close());

/** `links` tokens, each an alias of the next; the last is a colour, or (cycle) an alias of the first. */
function chain(links: number, cycle: boolean): string {
  const group: Record<string, unknown> = {};
  for (let i = 0; i < links; i++)
    group[`c${i}`] = {
      $type: 'color',
      $value: i === links - 1 ? (cycle ? '{chain.c0}' : '#ff0000') : `{chain.c${i + 1}}`,
    };
  return JSON.stringify({ chain: group });
}

/** The longest /health answer while `work` runs (sampled every 20 ms). */
async function worstHealthMs(work: Promise<unknown>): Promise<number> {
  let done = false;
  void work.finally(() => (done = true));
  let worst = 0;
  while (!done) {
    const started = performance.now();
    await fetch(`${server.url}/health`);
    worst = Math.max(worst, performance.now() - started);
    await new Promise((r) => setTimeout(r, 20));
  }
  return worst;
}

describe('token alias chains', () => {
  it('imports a 5,000-link chain and refuses a 5,000-link cycle promptly, the event loop free', async () => {
    const ds = await buildDesignSystem(server, crew.team, crew.editor);
    const importing = (content: string) =>
      Promise.resolve(
        server.api
          .as(crew.editor)
          .post(`/api/design-systems/${ds.id}/tokens/import`, { files: [{ path: 'chain.json', content }] }),
      );

    let started = performance.now();
    const ok = importing(chain(5000, false));
    const worstOk = await worstHealthMs(ok);
    expect((await ok).status).toBe(200);
    const okMs = performance.now() - started;

    started = performance.now();
    const refused = importing(chain(5000, true));
    const worstCycle = await worstHealthMs(refused);
    const res = await refused;
    const cycleMs = performance.now() - started;
    expect(res.status).toBe(422);
    const problems = res.body.error.details as { code: string; message: string }[];
    expect(problems.filter((p) => p.code === 'alias_cycle')).toHaveLength(5000);
    // Each names its cycle by its ends, not all 5,000 links.
    expect(Math.max(...problems.map((p) => p.message.length))).toBeLessThan(400);
    expect(okMs).toBeLessThan(15_000);
    expect(cycleMs).toBeLessThan(15_000);
    // The server answers others meanwhile (the old check held the event loop for the whole import).
    expect(Math.max(worstOk, worstCycle)).toBeLessThan(3000);
    console.log(
      `alias chains: 5,000 links imported in ${okMs.toFixed(0)} ms (worst /health ${worstOk.toFixed(0)} ms); a 5,000-link cycle refused in ${cycleMs.toFixed(0)} ms (worst /health ${worstCycle.toFixed(0)} ms)`,
    );
  }, 60_000);
});
