import { execFile } from 'node:child_process';
import { mkdtemp, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { buildCrew, buildDesignSystem } from '../../../support/factories.ts';
import { expectError, expectHidden, expectInvalidField } from '../../../support/expect-error.ts';
import { call, connect, eventually, next, type Client } from '../../../support/realtime.ts';
import { startTestServer, type TestServer } from '../../../support/server.ts';
import { startRegistryStandIn, type RegistryStandIn } from '../../../support/standins/npm-registry.ts';

const run = promisify(execFile);
let server: TestServer;
let registry: RegistryStandIn;
let crew: Awaited<ReturnType<typeof buildCrew>>;
let ds: { id: string };
const sockets: Client[] = [];

beforeAll(async () => {
  registry = await startRegistryStandIn();
  server = await startTestServer({ OUTBOUND_ALLOW_HOSTS: '127.0.0.1' });
  crew = await buildCrew(server);
  ds = await buildDesignSystem(server, crew.team, crew.editor, 'Acme UI');
  await server.api.as(crew.editor).post(`/api/design-systems/${ds.id}/tokens/import`, {
    files: [
      {
        path: 't.json',
        content: JSON.stringify({
          color: { $type: 'color', surface: { $value: '#ffffff' }, ink: { $value: '#111111' } },
          space: { $type: 'dimension', md: { $value: '16px' } },
          radius: { $type: 'dimension', sm: { $value: '4px' } },
        }),
      },
    ],
  });
  const gen = await server.api
    .as(crew.editor)
    .post(`/api/design-systems/${ds.id}/components/generate`, { prompt: 'a status badge', name: 'StatusBadge' });
  await eventually(
    async () => (await server.api.as(crew.editor).get(`/api/jobs/${gen.body.id}`)).body.status === 'completed',
    15_000,
  );
});
afterAll(async () => {
  for (const s of sockets) s.close();
  await server.close();
  await registry.close();
});

async function finished(jobId: string) {
  let job: any;
  await eventually(async () => {
    job = (await server.api.as(crew.admin).get(`/api/jobs/${jobId}`)).body;
    return ['completed', 'failed'].includes(job.status);
  }, 30_000);
  return job;
}

describe('publishing', () => {
  it('checks authentication, team, role and body', async () => {
    expectError(await server.api.post(`/api/design-systems/${ds.id}/publish`, {}), 401, 'unauthenticated');
    expectHidden(await server.api.as(crew.outsider).post(`/api/design-systems/${ds.id}/publish`, {}));
    expectError(await server.api.as(crew.editor).post(`/api/design-systems/${ds.id}/publish`, {}), 403, 'forbidden');
    expectInvalidField(
      await server.api.as(crew.admin).post(`/api/design-systems/${ds.id}/publish`, { version: 'one' }),
      'version',
    );
    expectError(
      await server.api.as(crew.editor).put(`/api/teams/${crew.team.id}/registry`, { url: registry.url }),
      403,
      'forbidden',
    );
  });

  it('publishes to the registry; the package installs and its tokens and component work in Node', async () => {
    const set = await server.api
      .as(crew.admin)
      .put(`/api/teams/${crew.team.id}/registry`, { url: registry.url, token: registry.token, scope: 'acme' });
    expect(set.body).toEqual({ url: registry.url, scope: 'acme', hasToken: true });
    const watcher = await connect(server, crew.viewer);
    sockets.push(watcher);
    await call(watcher, 'join-design-system', { designSystemId: ds.id });
    const announced = next(watcher, 'design-system-published', () => true, 30_000);

    const start = await server.api
      .as(crew.admin)
      .post(`/api/design-systems/${ds.id}/publish`, { version: '1.0.0', message: 'First release' });
    expect(start.status).toBe(202);
    const job = await finished(start.body.id);
    expect(job.status).toBe('completed');
    expect(job.result).toMatchObject({ version: '1.0.0', packageName: '@acme/acme-ui', publishedTo: registry.url });
    expect(job.result.tarball.files).toEqual(
      expect.arrayContaining([
        'package.json',
        'README.md',
        'CHANGELOG.md',
        'index.js',
        'index.d.ts',
        'tokens/tokens.css',
        'tokens/tokens.js',
        'tokens/tokens.d.ts',
        'components/StatusBadge.js',
        'components/StatusBadge.d.ts',
      ]),
    );
    expect((await announced).version).toBe('1.0.0');
    expect(registry.packuments.get('@acme/acme-ui')?.['dist-tags']).toEqual({ latest: '1.0.0' });

    // Install with the real npm CLI into a scratch project and use it.
    const scratch = await mkdtemp(join(tmpdir(), 'ensemble-install-'));
    await writeFile(join(scratch, 'package.json'), JSON.stringify({ name: 'scratch', private: true, type: 'module' }));
    await run(
      'npm',
      [
        'install',
        '@acme/acme-ui@1.0.0',
        `--registry=${registry.url}`,
        '--no-audit',
        '--no-fund',
        '--legacy-peer-deps',
        '--ignore-scripts',
        '--no-package-lock',
      ],
      { cwd: scratch, timeout: 120_000 },
    );
    await symlink(resolve('node_modules/react'), join(scratch, 'node_modules', 'react'), 'dir');
    const script = `
      import { tokens, StatusBadge } from '@acme/acme-ui';
      import { readFileSync } from 'node:fs';
      const element = StatusBadge({ children: 'ok' });
      console.log(JSON.stringify({ tokenNames: Object.keys(tokens), background: element.props.style.background, css: readFileSync(new URL(import.meta.resolve('@acme/acme-ui/tokens.css')), 'utf8') }));`;
    await writeFile(join(scratch, 'check.mjs'), script);
    const { stdout } = await run(process.execPath, ['check.mjs'], { cwd: scratch, timeout: 30_000 });
    const out = JSON.parse(stdout);
    expect(out.tokenNames).toEqual(expect.arrayContaining(['colorSurface', 'colorInk', 'spaceMd']));
    expect(out.background).toMatch(/^var\(--color-/);
    expect(out.css).toContain('--color-surface: #ffffff;');
  }, 180_000);

  it('refuses to publish the same version twice', async () => {
    expectError(
      await server.api.as(crew.admin).post(`/api/design-systems/${ds.id}/publish`, { version: '1.0.0' }),
      409,
      'conflict',
    );
  });

  it('records versions with a diff and a changelog, and serves them', async () => {
    await server.api
      .as(crew.editor)
      .post(`/api/design-systems/${ds.id}/tokens`, { path: 'color.accent', $value: '#ff8800', $type: 'color' });
    const start = await server.api.as(crew.admin).post(`/api/design-systems/${ds.id}/publish`, { bump: 'minor' });
    const job = await finished(start.body.id);
    expect(job.result.version).toBe('1.1.0');
    const versions = await server.api.as(crew.viewer).get(`/api/design-systems/${ds.id}/versions`);
    expect(versions.body.items.map((v: { version: string }) => v.version)).toEqual(['1.1.0', '1.0.0']);
    const diff = await server.api.as(crew.viewer).get(`/api/design-systems/${ds.id}/versions/1.0.0/diff/1.1.0`);
    expect(diff.body.tokens).toEqual({ added: ['color.accent'], removed: [], changed: [] });
    const v = await server.api.as(crew.viewer).get(`/api/design-systems/${ds.id}/versions/1.1.0`);
    expect(v.body.changelog).toContain('`color.accent`');
    expect(v.body.tokens).toHaveProperty(['color.accent']);
    const pkg = await server.api.as(crew.viewer).get(`/api/design-systems/${ds.id}/versions/1.1.0/package`);
    expect(pkg.headers['content-type']).toBe('application/gzip');
    expectHidden(await server.api.as(crew.outsider).get(`/api/design-systems/${ds.id}/versions`));
    const dsRow = await server.api.as(crew.viewer).get(`/api/design-systems/${ds.id}`);
    expect(dsRow.body).toMatchObject({ version: '1.1.0', published: true });
  }, 60_000);

  it('refuses at once, with both paths, a design system whose tokens collide as JavaScript names', async () => {
    const clash = await buildDesignSystem(server, crew.team, crew.editor, 'Clash UI');
    const imported = await server.api.as(crew.editor).post(`/api/design-systems/${clash.id}/tokens/import`, {
      files: [
        {
          path: 't.json',
          content: JSON.stringify({
            focus: {
              'outline-color': { $type: 'color', $value: '#000' },
              outlineColor: { $type: 'color', $value: '#111' },
            },
          }),
        },
      ],
    });
    expect(imported.status).toBe(200);
    const res = await server.api.as(crew.admin).post(`/api/design-systems/${clash.id}/publish`, { version: '1.0.0' });
    expectError(res, 422, 'token_name_collision');
    expect(res.body.error.details[0]).toMatchObject({
      paths: ['focus.outline-color', 'focus.outlineColor'],
      platform: 'javascript',
    });
  });
});
