// A design-system branch pushes its own documents (not main's rows) to a same-named git branch,
// as a pull request against the base branch.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { writeToken } from '../../../src/services/documents/tokens-doc.ts';
import { expectError } from '../../support/expect-error.ts';
import { buildComponent, buildCrew, buildDesignSystem } from '../../support/factories.ts';
import { editLive, eventually } from '../../support/realtime.ts';
import { startTestServer, type TestServer } from '../../support/server.ts';
import { startGithubReposStandIn, type GithubReposStandIn } from '../../support/standins/github-repos.ts';

let gh: GithubReposStandIn;
let server: TestServer;
let crew: Awaited<ReturnType<typeof buildCrew>>;
let ds: { id: string };
const REPO = { owner: 'acme', repo: 'branch-push' };

beforeAll(async () => {
  gh = await startGithubReposStandIn();
  gh.createRepo(REPO.owner, REPO.repo, { 'README.md': '# tokens\n' });
  server = await startTestServer({ OUTBOUND_ALLOW_HOSTS: '127.0.0.1', GITHUB_API_URL: gh.url });
  crew = await buildCrew(server);
  ds = await buildDesignSystem(server, crew.team, crew.editor);
  await server.api
    .as(crew.editor)
    .post(`/api/design-systems/${ds.id}/tokens`, { path: 'color.brand', $value: '#0055ff', $type: 'color' });
  await buildComponent(server, ds.id, crew.editor, { name: 'Button', code: 'export const Button = 1;\n' });
  expect(
    (await server.api.as(crew.admin).put(`/api/design-systems/${ds.id}/github`, { ...REPO, token: gh.token })).status,
  ).toBe(201);
}, 60_000);
afterAll(async () => {
  await server?.close();
  await gh?.close();
});

async function finished(jobId: string) {
  let job: { status: string; error: string | null; result: Record<string, unknown> | null } = {
    status: '',
    error: null,
    result: null,
  };
  await eventually(async () => {
    job = (await server.api.as(crew.admin).get(`/api/jobs/${jobId}`)).body;
    return job.status === 'completed' || job.status === 'failed';
  }, 30_000);
  return job;
}

describe('pushing a design-system branch', () => {
  it("writes the branch's tokens and components to a same-named git branch and leaves main's alone", async () => {
    const branch = (await server.api.as(crew.editor).post(`/api/design-systems/${ds.id}/branches`, { name: 'rebrand' }))
      .body as { id: string };
    const fork = (await server.api.as(crew.editor).get(`/api/design-systems/${ds.id}/branches/rebrand`)).body as {
      documents: string[];
    };
    const live = (name: string, fn: Parameters<typeof editLive>[3]) =>
      editLive(server, crew.editor, name, fn).then((ack) => expect(ack.ok).toBe(true));
    await live(`tokens:${ds.id}@${branch.id}`, (d) =>
      writeToken(d, 'color.brand', { $value: '#ff3366', $type: 'color' }),
    );
    const component = fork.documents.find((n) => n.startsWith('component:')) as string;
    await live(component, (d) => {
      d.getMap('meta').set('name', 'PrimaryButton');
      d.getText('code').insert(0, '// rebranded\n');
    });

    const start = await server.api.as(crew.admin).post(`/api/design-systems/${ds.id}/github/push`, { from: 'rebrand' });
    expect(start.status).toBe(202);
    const job = await finished(start.body.id);
    expect({ status: job.status, error: job.error }).toEqual({ status: 'completed', error: null });
    expect(job.result).toMatchObject({ branch: 'rebrand' });
    const files = gh.filesAt(REPO.owner, REPO.repo, 'rebrand');
    expect(JSON.parse(files.get('tokens/tokens.json') as string)).toMatchObject({
      color: { brand: { $value: '#ff3366' } },
    });
    expect(files.get('components/PrimaryButton.tsx')).toBe('// rebranded\nexport const Button = 1;\n');
    expect(files.has('components/Button.tsx')).toBe(false);
    expect(gh.pulls(REPO.owner, REPO.repo)).toEqual([
      expect.objectContaining({ head: 'rebrand', base: 'main', title: expect.stringContaining('branch rebrand') }),
    ]);
    // Main was not touched: its push still writes main's values.
    const mainPush = await server.api
      .as(crew.admin)
      .post(`/api/design-systems/${ds.id}/github/push`, { branch: 'from-main' });
    expect((await finished(mainPush.body.id)).status).toBe('completed');
    const mainFiles = gh.filesAt(REPO.owner, REPO.repo, 'from-main');
    expect(JSON.parse(mainFiles.get('tokens/tokens.json') as string)).toMatchObject({
      color: { brand: { $value: '#0055ff' } },
    });
    expect(mainFiles.has('components/Button.tsx')).toBe(true);
  });

  it('refuses a branch that does not exist', async () => {
    expectError(
      await server.api.as(crew.admin).post(`/api/design-systems/${ds.id}/github/push`, { from: 'nope' }),
      404,
      'not_found',
    );
  });
});
