// GitHub sync against a local stand-in of GitHub's REST API: connecting a repository, pushing tokens
// and components as a pull request, and importing pushes to the base branch live, with conflicts.
import { createHmac } from 'node:crypto';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { pino } from 'pino';
import supertest from 'supertest';
import { loadConfig } from '../../../src/config/config.ts';
import { startEnsemble } from '../../../src/server.ts';
import { Api } from '../../support/api.ts';
import { expectError, expectHidden, expectInvalidField } from '../../support/expect-error.ts';
import { buildComponent, buildCrew, buildDesignSystem } from '../../support/factories.ts';
import { call, connect, eventually, next, type Client } from '../../support/realtime.ts';
import { testEnv, type TestServer } from '../../support/server.ts';
import { startGithubReposStandIn, type GithubReposStandIn } from '../../support/standins/github-repos.ts';
import { provide, type Provided } from '../../support/yjs-provider.ts';

let gh: GithubReposStandIn;
let server: TestServer;
let crew: Awaited<ReturnType<typeof buildCrew>>;
let ds: { id: string; name: string };
let secret: string;
let logs = '';
const sockets: Client[] = [];
const providers: Provided[] = [];
const REPO = { owner: 'acme', repo: 'design-tokens' };

const baseTokens = {
  color: { $type: 'color', brand: { $value: '#0055ff' }, ink: { $value: '#111111' } },
  space: { $type: 'dimension', md: { $value: '16px' } },
};

beforeAll(async () => {
  gh = await startGithubReposStandIn();
  gh.createRepo(REPO.owner, REPO.repo, {
    'README.md': '# Acme tokens\n',
    'components/Legacy.tsx': 'export const Legacy = 1;\n',
    'src/app.ts': 'console.log(1);\n',
  });
  // Every log line at debug level is kept, to prove the token never appears in one.
  const config = loadConfig(
    await testEnv({ OUTBOUND_ALLOW_HOSTS: '127.0.0.1', GITHUB_API_URL: gh.url, LOG_LEVEL: 'debug' }),
  );
  const sink = new Writable({
    write(chunk, _encoding, done) {
      logs += String(chunk);
      done();
    },
  });
  const ensemble = await startEnsemble(config, pino({ level: 'debug' }, sink));
  server = Object.assign(ensemble, { api: new Api(ensemble.url), config });
  crew = await buildCrew(server);
  ds = await buildDesignSystem(server, crew.team, crew.editor, 'Acme UI');
  await server.api.as(crew.editor).post(`/api/design-systems/${ds.id}/tokens/import`, {
    files: [{ path: 't.json', content: JSON.stringify(baseTokens) }],
  });
  const dark = await server.api.as(crew.editor).post(`/api/design-systems/${ds.id}/tokens`, {
    path: 'color.surface',
    $value: '#000000',
    $type: 'color',
    $extensions: { 'com.ensemble.set': 'dark' },
  });
  expect(dark.status).toBe(201);
  await buildComponent(server, ds.id, crew.editor, {
    name: 'Button',
    code: 'export function Button() {\n  return null;\n}\n',
    documentation: '# Button\n\nA button.',
  });
}, 60_000);

afterAll(async () => {
  for (const s of sockets) s.close();
  for (const p of providers) p.close();
  await server?.close();
  await gh?.close();
});

async function finished(jobId: string) {
  let job: any;
  await eventually(async () => {
    job = (await server.api.as(crew.admin).get(`/api/jobs/${jobId}`)).body;
    return ['completed', 'failed'].includes(job.status);
  }, 30_000);
  return job;
}

/** Delivers a webhook the way GitHub does: the raw JSON bytes, signed with `key`. */
function deliver(event: string, payload: unknown, key = secret, tamper?: (raw: string) => string) {
  const raw = JSON.stringify(payload);
  const signature = `sha256=${createHmac('sha256', key).update(raw).digest('hex')}`;
  return supertest(server.url)
    .post('/api/github/webhook')
    .set('Content-Type', 'application/json')
    .set('X-GitHub-Event', event)
    .set('X-GitHub-Delivery', `${Date.now()}`)
    .set('X-Hub-Signature-256', signature)
    .send(tamper ? tamper(raw) : raw);
}

/** Commits token files to main on the stand-in and builds the push payload GitHub would send. */
function pushToMain(files: Record<string, string | null>) {
  const { before, after } = gh.commit(REPO.owner, REPO.repo, 'main', files);
  const paths = Object.keys(files);
  return {
    ref: 'refs/heads/main',
    before,
    after,
    repository: { full_name: 'Acme/Design-Tokens' },
    commits: [{ id: after, added: [], modified: paths, removed: [] }],
  };
}

const tokenValue = async (path: string) => {
  const list = await server.api.as(crew.viewer).get(`/api/design-systems/${ds.id}/tokens?limit=100`);
  return list.body.items.find((t: { category: string; name: string }) => `${t.category}.${t.name}` === path);
};

describe('connecting a repository', () => {
  const url = () => `/api/design-systems/${ds.id}/github`;

  it('is for admins of the team, with a valid body', async () => {
    expectError(await server.api.put(url(), { ...REPO, token: gh.token }), 401, 'unauthenticated');
    expectHidden(await server.api.as(crew.outsider).put(url(), { ...REPO, token: gh.token }));
    expectError(await server.api.as(crew.editor).put(url(), { ...REPO, token: gh.token }), 403, 'forbidden');
    expectInvalidField(
      await server.api.as(crew.admin).put(url(), { owner: 'a/b', repo: REPO.repo, token: gh.token }),
      'owner',
    );
    expectInvalidField(
      await server.api.as(crew.admin).put(url(), { ...REPO, token: gh.token, tokensPath: '../etc' }),
      'tokensPath',
    );
    expectInvalidField(await server.api.as(crew.admin).put(url(), { ...REPO }), 'token');
  });

  it('checks the token and the repository with GitHub first', async () => {
    expectError(
      await server.api.as(crew.admin).put(url(), { ...REPO, token: 'github_pat_wrong' }),
      422,
      'github_token_rejected',
    );
    expectError(
      await server.api.as(crew.admin).put(url(), { owner: 'acme', repo: 'nope', token: gh.token }),
      422,
      'github_repo_not_found',
    );
    expectError(await server.api.as(crew.admin).get(url()), 404, 'not_found');
  });

  it('stores the token encrypted, shows the webhook secret once and never the token', async () => {
    const res = await server.api.as(crew.admin).put(url(), { ...REPO, token: gh.token });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      owner: 'acme',
      repo: 'design-tokens',
      baseBranch: 'main',
      tokensPath: 'tokens',
      componentsPath: 'components',
      hasToken: true,
    });
    expect(res.body.webhook).toMatchObject({
      url: `${server.url}/api/github/webhook`,
      contentType: 'application/json',
      events: ['push'],
    });
    expect(res.body.webhook.secret).toMatch(/^[0-9a-f]{64}$/);
    secret = res.body.webhook.secret;
    expect(JSON.stringify(res.body)).not.toContain(gh.token);
    const shown = await server.api.as(crew.admin).get(url());
    expect(shown.status).toBe(200);
    expect(shown.body.webhook.secret).toBeUndefined();
    expect(JSON.stringify(shown.body)).not.toContain(gh.token);
    // Changing a setting keeps the token and the secret.
    const again = await server.api.as(crew.admin).put(url(), { ...REPO, componentsPath: 'components' });
    expect(again.status).toBe(200);
    expect(again.body.webhook.secret).toBeUndefined();
    const row = await server.services.githubSync.get(
      { kind: 'user', userId: crew.admin.id, roles: new Map([[crew.team.id, 'admin']]) },
      ds.id,
    );
    expect(row.tokenEncrypted).not.toContain(gh.token);
    expect(row.webhookSecretEncrypted).not.toContain(secret);
  });
});

describe('pushing', () => {
  const push = (body: unknown, who = crew.admin) =>
    server.api.as(who).post(`/api/design-systems/${ds.id}/github/push`, body);

  it('is for admins; the base branch cannot be the target', async () => {
    expectError(await push({}, crew.editor), 403, 'forbidden');
    expectHidden(await push({}, crew.outsider));
    expectInvalidField(await push({ branch: 'main' }), 'branch');
    expectInvalidField(await push({ branch: 'bad..name' }), 'branch');
  });

  it('writes tokens per set and components as sources through the git data API and opens a pull request', async () => {
    const watcher = await connect(server, crew.viewer);
    sockets.push(watcher);
    await call(watcher, 'join-design-system', { designSystemId: ds.id });
    const progress = next(
      watcher,
      'job-progress',
      (p: { name: string; phase: string }) => p.name === 'github.push' && p.phase === 'completed',
      30_000,
    );
    const start = await push({});
    expect(start.status).toBe(202);
    const job = await finished(start.body.id);
    expect(job.error).toBeNull();
    expect(job.status).toBe('completed');
    expect(job.result.branch).toMatch(/^ensemble\/\d{4}-\d{2}-\d{2}-[0-9a-f]{6}$/);
    expect(job.result).toMatchObject({
      pullRequestNumber: 1,
      pullRequestUrl: 'https://github.test/acme/design-tokens/pull/1',
      deleted: ['components/Legacy.tsx'],
    });
    await progress;

    const files = gh.filesAt(REPO.owner, REPO.repo, job.result.branch);
    expect([...files.keys()].sort()).toEqual([
      'README.md',
      'components/Button.md',
      'components/Button.tsx',
      'components/index.ts',
      'src/app.ts',
      'tokens/dark.json',
      'tokens/tokens.json',
    ]);
    expect(JSON.parse(files.get('tokens/tokens.json') as string)).toEqual(baseTokens);
    expect(JSON.parse(files.get('tokens/dark.json') as string)).toEqual({
      color: { $type: 'color', surface: { $value: '#000000', $type: 'color' } },
    });
    expect(files.get('components/Button.tsx')).toBe('export function Button() {\n  return null;\n}\n');
    expect(files.get('components/Button.md')).toBe('# Button\n\nA button.\n');
    expect(files.get('components/index.ts')).toBe("export * from './Button';\n");
    expect(gh.pulls(REPO.owner, REPO.repo)).toEqual([
      expect.objectContaining({
        number: 1,
        head: job.result.branch,
        base: 'main',
        title: 'Update Acme UI from Ensemble',
        state: 'open',
      }),
    ]);
    // The git data API, in order: refs, commit, tree, blobs, a tree on the base tree, a commit, the ref, the pull.
    const steps = gh.seen
      .filter((s) => s.path.startsWith('/repos/acme/design-tokens/'))
      .map((s) => `${s.method} ${s.path.replace(/[0-9a-f]{40}/g, ':sha').replace(/\?.*$/, '')}`);
    expect(steps.slice(-14)).toEqual([
      'GET /repos/acme/design-tokens/git/ref/heads/main',
      `GET /repos/acme/design-tokens/git/ref/heads/${job.result.branch}`,
      'GET /repos/acme/design-tokens/git/commits/:sha',
      'GET /repos/acme/design-tokens/git/trees/:sha',
      ...Array(5).fill('POST /repos/acme/design-tokens/git/blobs'),
      'POST /repos/acme/design-tokens/git/trees',
      'POST /repos/acme/design-tokens/git/commits',
      'POST /repos/acme/design-tokens/git/refs',
      'GET /repos/acme/design-tokens/pulls',
      'POST /repos/acme/design-tokens/pulls',
    ]);
    const tree = JSON.parse(gh.seen.find((s) => s.method === 'POST' && s.path.endsWith('/git/trees'))?.body as string);
    expect(tree.base_tree).toMatch(/^[0-9a-f]{40}$/);
    expect(tree.tree).toContainEqual({ path: 'components/Legacy.tsx', mode: '100644', type: 'blob', sha: null });
    expect(
      gh.seen.every((s) => s.auth === `Bearer ${gh.token}` || !s.path.startsWith('/repos/acme/design-tokens/git')),
    ).toBe(true);
  }, 60_000);

  it('pushes again onto the same branch and reuses its open pull request; a named branch gets its own', async () => {
    const first = await finished((await push({ branch: 'ds/colors', title: 'Colours' })).body.id);
    expect(first.result).toMatchObject({ branch: 'ds/colors', pullRequestNumber: 2 });
    await server.api
      .as(crew.editor)
      .post(`/api/design-systems/${ds.id}/tokens`, { path: 'space.lg', $value: '24px', $type: 'dimension' });
    const second = await finished((await push({ branch: 'ds/colors' })).body.id);
    expect(second.result).toMatchObject({ branch: 'ds/colors', pullRequestNumber: 2, pullRequest: { reused: true } });
    expect(second.result.commitSha).not.toBe(first.result.commitSha);
    expect(
      JSON.parse(gh.filesAt(REPO.owner, REPO.repo, 'ds/colors').get('tokens/tokens.json') as string).space.lg,
    ).toEqual({ $value: '24px', $type: 'dimension' });
    expect(gh.pulls(REPO.owner, REPO.repo).filter((p) => p.head === 'ds/colors')).toHaveLength(1);
    // Nothing changed since: no commit, the same pull request.
    const third = await finished((await push({ branch: 'ds/colors' })).body.id);
    expect(third.result).toMatchObject({ commitSha: null, pullRequestNumber: 2 });
  }, 60_000);

  it('sits out a short rate limit, and fails precisely when GitHub refuses the token', async () => {
    gh.rateLimitNext(/\/git\/blobs$/, 1);
    const limited = await finished((await push({ branch: 'ds/limited' })).body.id);
    expect(limited.status).toBe('completed');
    expect(gh.seen.some((s) => s.path.endsWith('/git/blobs'))).toBe(true);
    gh.revoke(true);
    try {
      const refused = await finished((await push({ branch: 'ds/refused' })).body.id);
      expect(refused.status).toBe('failed');
      expect(refused.error).toMatch(/GitHub refused the token while reading branch main \(401: Bad credentials\)/);
      expect(refused.attempts).toBe(1);
    } finally {
      gh.revoke(false);
    }
  }, 60_000);
});

describe('importing pushes to the base branch', () => {
  it('refuses forged signatures, ignores what is not a push to the base branch, 404s unknown repos', async () => {
    const payload = pushToMain({ 'README.md': '# changed\n' });
    expectError(await deliver('push', payload, 'not-the-secret'), 401, 'invalid_webhook_signature');
    expectError(
      await deliver('push', payload, secret, (raw) => raw.replace('refs/heads/main', 'refs/heads/mainx')),
      401,
      'invalid_webhook_signature',
    );
    expectError(
      await supertest(server.url).post('/api/github/webhook').set('X-GitHub-Event', 'push').send(payload),
      401,
      'invalid_webhook_signature',
    );
    expectError(await deliver('push', { ...payload, repository: { full_name: 'acme/other' } }), 404, 'not_found');
    const issue = await deliver('issues', { action: 'opened', repository: { full_name: 'acme/design-tokens' } });
    expect(issue.status).toBe(202);
    expect(issue.body.results[0]).toMatchObject({ status: 'ignored' });
    const other = await deliver('push', { ...payload, ref: 'refs/heads/feature' });
    expect(other.status).toBe(202);
    const form = await supertest(server.url)
      .post('/api/github/webhook')
      .type('form')
      .set('X-GitHub-Event', 'push')
      .send({ payload: JSON.stringify(payload) });
    expectError(form, 415, 'unsupported_media_type');
    const readme = await deliver('push', payload);
    expect(readme.status).toBe(202);
    expect(readme.body.results[0]).toMatchObject({ status: 'ignored', reason: 'no token files changed' });
  });

  it('applies changed token files to the live document: a connected y-websocket client sees the change', async () => {
    const live = provide(server.url, `tokens:${ds.id}`, crew.viewer.accessToken);
    providers.push(live);
    await live.synced;
    const changed = { ...baseTokens, color: { ...baseTokens.color, brand: { $value: '#00aa55' } } };
    const payload = pushToMain({ 'tokens/tokens.json': JSON.stringify(changed, null, 2) });
    const res = await deliver('push', payload);
    expect(res.status).toBe(200);
    expect(res.body.results[0]).toMatchObject({
      status: 'imported',
      commit: payload.after,
      files: ['tokens/tokens.json'],
      created: 0,
      updated: 1,
      deleted: 0,
      conflicts: [],
    });
    const brand = () =>
      (live.doc.getMap('tokens').get('color.brand') as { get(k: string): unknown } | undefined)?.get('$value');
    await eventually(() => brand() === '#00aa55', 5000);
    expect((await tokenValue('color.brand')).$value).toBe('#00aa55');
    // GitHub redelivers: the same commit is not imported twice.
    const again = await deliver('push', payload);
    expect(again.status).toBe(202);
    expect(again.body.results[0].reason).toBe('this commit was imported already');
  });

  it('reports a token changed on both sides since the last sync and keeps Ensemble’s value', async () => {
    const ink = await tokenValue('color.ink');
    expect(
      (await server.api.as(crew.editor).put(`/api/design-systems/${ds.id}/tokens/${ink.id}`, { $value: '#222222' }))
        .status,
    ).toBe(200);
    const watcher = await connect(server, crew.viewer);
    sockets.push(watcher);
    await call(watcher, 'join-design-system', { designSystemId: ds.id });
    const announced = next(watcher, 'github-sync-conflict', () => true, 10_000);
    const changed = {
      ...baseTokens,
      color: { ...baseTokens.color, brand: { $value: '#00aa55' }, ink: { $value: '#333333' } },
      space: { ...baseTokens.space, sm: { $value: '8px' } },
    };
    const res = await deliver('push', pushToMain({ 'tokens/tokens.json': JSON.stringify(changed) }));
    expect(res.status).toBe(200);
    expect(res.body.results[0]).toMatchObject({ created: 1, updated: 0 });
    expect(res.body.results[0].conflicts).toEqual([
      expect.objectContaining({
        path: 'color.ink',
        file: 'tokens/tokens.json',
        base: expect.objectContaining({ $value: '#111111' }),
        ensemble: expect.objectContaining({ $value: '#222222' }),
        repository: expect.objectContaining({ $value: '#333333' }),
      }),
    ]);
    const event = await announced;
    expect(event).toMatchObject({
      designSystemId: ds.id,
      repository: 'acme/design-tokens',
      conflicts: [expect.objectContaining({ path: 'color.ink' })],
    });
    expect((await tokenValue('color.ink')).$value).toBe('#222222');
    expect((await tokenValue('space.sm')).$value).toBe('8px');
    const activity = await server.api
      .as(crew.viewer)
      .get(`/api/teams/${crew.team.id}/activity?action=github.syncConflict`);
    expect(activity.body.items).toEqual([
      expect.objectContaining({ action: 'github.syncConflict', designSystemId: ds.id }),
    ]);
  });

  it('deletes tokens removed from a file when Ensemble left them alone', async () => {
    const res = await deliver(
      'push',
      pushToMain({ 'tokens/dark.json': JSON.stringify({ color: { $type: 'color' } }) }),
    );
    expect(res.status).toBe(200);
    expect(res.body.results[0]).toMatchObject({ deleted: 1, conflicts: [] });
    expect(await tokenValue('color.surface')).toBeUndefined();
  });

  it('refuses token files with problems, writing nothing', async () => {
    const res = await deliver(
      'push',
      pushToMain({ 'tokens/tokens.json': '{ "color": { "brand": { "$value": "{color.missing}" } } }' }),
    );
    expectError(res, 422, 'invalid_tokens');
    expect((await tokenValue('color.brand')).$value).toBe('#00aa55');
  });
});

describe('the token', () => {
  it('is never returned by a route nor logged', async () => {
    expect(logs.length).toBeGreaterThan(1000);
    expect(logs).not.toContain(gh.token);
    expect(logs).not.toContain(secret);
    const jobs = await server.api.as(crew.admin).get(`/api/teams/${crew.team.id}/activity?limit=100`);
    expect(JSON.stringify(jobs.body)).not.toContain(gh.token);
    const openapi = await supertest(server.url).get('/api/openapi.json');
    const paths = Object.keys(openapi.body.paths ?? {});
    expect(paths).toEqual(
      expect.arrayContaining([
        '/api/design-systems/{id}/github',
        '/api/design-systems/{id}/github/push',
        '/api/github/webhook',
      ]),
    );
  });

  it('goes with a disconnect', async () => {
    expect((await server.api.as(crew.admin).delete(`/api/design-systems/${ds.id}/github`)).status).toBe(204);
    expectError(await server.api.as(crew.admin).get(`/api/design-systems/${ds.id}/github`), 404, 'not_found');
    expectError(await deliver('push', pushToMain({ 'tokens/tokens.json': '{}' })), 404, 'not_found');
  });
});
