// GitHub sync through a GitHub App installation instead of a personal token: the server signs the
// App's JWT, exchanges it for installation tokens (kept until they near expiry, forgotten when
// GitHub refuses one), and pushes with them; the stand-in checks the JWT as GitHub does.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { expectError, expectInvalidField } from '../../support/expect-error.ts';
import { buildCrew, buildDesignSystem } from '../../support/factories.ts';
import { eventually } from '../../support/realtime.ts';
import { startTestServer, type TestServer } from '../../support/server.ts';
import { startGithubReposStandIn, type GithubReposStandIn } from '../../support/standins/github-repos.ts';

let gh: GithubReposStandIn;
let server: TestServer;
let crew: Awaited<ReturnType<typeof buildCrew>>;
let ds: { id: string };
const REPO = { owner: 'acme', repo: 'app-tokens' };

beforeAll(async () => {
  gh = await startGithubReposStandIn();
  gh.createRepo(REPO.owner, REPO.repo, { 'README.md': '# tokens\n' });
  gh.createRepo('acme', 'not-installed', { 'README.md': '# other\n' });
  gh.app.repos.add(`${REPO.owner}/${REPO.repo}`);
  server = await startTestServer({
    OUTBOUND_ALLOW_HOSTS: '127.0.0.1',
    GITHUB_API_URL: gh.url,
    GITHUB_APP_ID: gh.app.id,
    // As a .env file or a secret store holds it: one line, newlines escaped.
    GITHUB_APP_PRIVATE_KEY: gh.app.privateKey.replace(/\n/g, '\\n'),
  });
  crew = await buildCrew(server);
  ds = await buildDesignSystem(server, crew.team, crew.editor);
  await server.api
    .as(crew.editor)
    .post(`/api/design-systems/${ds.id}/tokens`, { path: 'color.brand', $value: '#0055ff', $type: 'color' });
}, 60_000);
afterAll(async () => {
  await server?.close();
  await gh?.close();
});

const url = () => `/api/design-systems/${ds.id}/github`;
const installation = () => gh.app.installationId;
async function push(branch: string) {
  const start = await server.api.as(crew.admin).post(`${url()}/push`, { branch });
  expect(start.status).toBe(202);
  let job: { status: string; error: string | null; result: { pullRequest?: { number: number } } | null } = {
    status: '',
    error: null,
    result: null,
  };
  await eventually(async () => {
    job = (await server.api.as(crew.admin).get(`/api/jobs/${start.body.id}`)).body;
    return job.status === 'completed' || job.status === 'failed';
  }, 30_000);
  return job;
}

describe('a GitHub App connection', () => {
  it('is refused where the installation cannot reach or write the repository', async () => {
    // Connecting mints a token, so what the installation grants now is what is checked.
    gh.app.permissions = { contents: 'write', pull_requests: 'read' };
    const readOnly = await server.api.as(crew.admin).put(url(), { ...REPO, installationId: installation() });
    expectError(readOnly, 422, 'github_token_rejected');
    expect(readOnly.body.error.message).toContain('pull_requests');
    gh.app.permissions = { contents: 'write', pull_requests: 'write', metadata: 'read' };
    expectInvalidField(
      await server.api.as(crew.admin).put(url(), { ...REPO, token: 'github_pat_x', installationId: installation() }),
      'installationId',
    );
    expectError(
      await server.api
        .as(crew.admin)
        .put(url(), { owner: 'acme', repo: 'not-installed', installationId: installation() }),
      422,
      'github_repo_not_found',
    );
    expectError(
      await server.api.as(crew.admin).put(url(), { ...REPO, installationId: installation() + 1 }),
      422,
      'github_repo_not_found',
    );
  });

  it('connects, pushes with installation tokens it keeps until they near expiry, and mints another once refused', async () => {
    const seenBefore = gh.seen.length;
    const connected = await server.api.as(crew.admin).put(url(), { ...REPO, installationId: installation() });
    expect(connected.status).toBe(201);
    expect(connected.body).toMatchObject({ auth: 'app', installationId: installation(), hasToken: false });
    const minted = gh.seen.slice(seenBefore).filter((r) => r.path.startsWith('/app/installations/'));
    // The App's JWT signed the exchange; the installation token did the rest.
    expect(minted.map((r) => r.auth?.split('.').length)).toEqual([3]);
    const first = gh.app.issued.at(-1) as string;

    const pushed = await push('ensemble/app-1');
    expect(pushed).toMatchObject({ status: 'completed', error: null });
    expect(gh.pulls(REPO.owner, REPO.repo).map((p) => p.head)).toEqual(['ensemble/app-1']);
    expect(gh.filesAt(REPO.owner, REPO.repo, 'ensemble/app-1').has('tokens/tokens.json')).toBe(true);
    const pushRequests = gh.seen.filter((r) => r.path.startsWith('/repos/') && r.method !== 'GET');
    expect(new Set(pushRequests.map((r) => r.auth))).toEqual(new Set([`Bearer ${first}`]));
    // Still valid for an hour: the next push mints nothing.
    expect((await push('ensemble/app-2')).status).toBe('completed');
    expect(gh.app.issued.at(-1)).toBe(first);

    // GitHub revokes the installation's tokens (suspended and restored): the push that meets the
    // 401 fails and says so; the next one mints a new token and goes through.
    gh.app.revokeTokens();
    // From here on GitHub grants tokens for two minutes only.
    gh.app.tokenTtlSeconds = 120;
    const refused = await push('ensemble/app-3');
    expect(refused.status).toBe('failed');
    expect(refused.error).toMatch(/refused the token/);
    expect((await push('ensemble/app-4')).status).toBe('completed');
    expect(gh.app.issued.length).toBeGreaterThan(1);
    expect(gh.app.issued.at(-1)).not.toBe(first);

    // A token that would expire within five minutes is replaced before use.
    const short = gh.app.issued.length;
    expect((await push('ensemble/app-5')).status).toBe('completed');
    expect(gh.app.issued.length).toBe(short + 1);
  });

  it('is not configured on a server without an App', async () => {
    const plain = await startTestServer({ OUTBOUND_ALLOW_HOSTS: '127.0.0.1', GITHUB_API_URL: gh.url });
    try {
      const team = await buildCrew(plain);
      const other = await buildDesignSystem(plain, team.team, team.editor);
      expectError(
        await plain.api
          .as(team.admin)
          .put(`/api/design-systems/${other.id}/github`, { ...REPO, installationId: installation() }),
        501,
        'not_configured',
      );
    } finally {
      await plain.close();
    }
  });
});
