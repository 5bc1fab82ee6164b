// A scratch app outside the repository installs the SDK exactly as sdk/README.md says
// (`npm install <checkout>/sdk --install-links` next to its own yjs, socket.io-client, y-protocols and
// React), type-checks under a Next.js-style and a Vite-style tsconfig, bundles with esbuild (one
// Yjs) and works in Chromium from a second origin: it connects, sees the other user, and its edit
// reaches them.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { build } from 'esbuild';
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, lstatSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser } from 'playwright-core';
import { EnsembleClient } from '../../sdk/src/index.ts';
import { buildComponent, buildCrew, buildDesignSystem } from '../support/factories.ts';
import { eventually } from '../support/realtime.ts';
import { startTestServer, type TestServer } from '../support/server.ts';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const version = (name: string) =>
  (JSON.parse(readFileSync(join(repo, 'node_modules', name, 'package.json'), 'utf8')) as { version: string }).version;
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

let app: string;
let site: Server;
let origin: string;
let server: TestServer;
let browser: Browser;

beforeAll(async () => {
  app = mkdtempSync(join(tmpdir(), 'ensemble-scratch-'));
  cpSync(join(repo, 'tests/sdk/scratch-app'), app, { recursive: true });
  const deps = Object.fromEntries(
    ['yjs', 'socket.io-client', 'y-protocols', 'react', 'react-dom'].map((n) => [n, version(n)]),
  );
  writeFileSync(
    join(app, 'package.json'),
    JSON.stringify({
      name: 'scratch-app',
      private: true,
      type: 'module',
      dependencies: deps,
      devDependencies: { '@types/react': version('@types/react'), '@types/react-dom': version('@types/react-dom') },
    }),
  );
  // The packages the checkout's own `npm ci` already fetched: taken from npm's cache.
  execFileSync('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', '--ignore-scripts'], {
    cwd: app,
    stdio: 'pipe',
  });
  execFileSync(
    'npm',
    [
      'install',
      join(repo, 'sdk'),
      '--install-links',
      '--prefer-offline',
      '--no-audit',
      '--no-fund',
      '--ignore-scripts',
    ],
    { cwd: app, stdio: 'pipe' },
  );

  site = createServer((req, res) => {
    const file = req.url?.startsWith('/app.js') ? 'dist/app.js' : 'index.html';
    res
      .writeHead(200, { 'content-type': file.endsWith('.js') ? 'text/javascript' : 'text/html' })
      .end(readFileSync(join(app, file)));
  });
  await new Promise<void>((ok) => site.listen(0, '127.0.0.1', ok));
  origin = `http://127.0.0.1:${(site.address() as AddressInfo).port}`;
  server = await startTestServer({ CORS_ORIGINS: origin });
  browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
  site?.close();
  rmSync(app, { recursive: true, force: true });
});

describe('the SDK installed in an app', () => {
  it('is a copy with its declarations, sharing the app’s one Yjs', () => {
    const installed = join(app, 'node_modules/@ensemble/client');
    expect(lstatSync(installed).isSymbolicLink()).toBe(false);
    for (const file of [
      'dist/index.js',
      'dist/index.d.ts',
      'dist/react/index.d.ts',
      'dist/ensemble.browser.js',
      'LICENSE',
    ])
      expect(existsSync(join(installed, file))).toBe(true);
    const copies = execFileSync('npm', ['ls', 'yjs', '--all', '--parseable'], { cwd: app, encoding: 'utf8' })
      .trim()
      .split('\n');
    expect(copies).toEqual([join(app, 'node_modules/yjs')]);
  });

  it.each(['tsconfig.next.json', 'tsconfig.vite.json'])('type-checks under %s', (tsconfig) => {
    const tsc = join(repo, 'node_modules/typescript/bin/tsc');
    const run = () =>
      execFileSync(process.execPath, [tsc, '-p', join(app, tsconfig)], { cwd: app, encoding: 'utf8', stdio: 'pipe' });
    expect(run).not.toThrow();
  });

  it('bundles with esbuild and works in Chromium from another origin', async () => {
    const result = await build({
      absWorkingDir: app,
      entryPoints: ['app.tsx'],
      bundle: true,
      format: 'esm',
      jsx: 'automatic',
      minify: true,
      outfile: join(app, 'dist/app.js'),
      logLevel: 'silent',
      write: true,
    });
    expect(result.errors).toEqual([]);
    expect(readFileSync(join(app, 'dist/app.js'), 'utf8').split('Yjs was already imported').length - 1).toBe(1);

    const crew = await buildCrew(server);
    const ds = await buildDesignSystem(server, crew.team, crew.editor);
    const component = await buildComponent(server, ds.id, crew.editor);
    const peer = new EnsembleClient({
      url: server.url,
      token: crew.admin.accessToken,
      socket: { forceNew: true, reconnection: false },
    });
    try {
      await peer.joinDesignSystem(ds.id);
      const theirs = await peer.openDocument(`component:${component.id}`);
      const page = await (await browser.newContext()).newPage();
      const logged: string[] = [];
      page.on('console', (m) => logged.push(m.text()));
      const query = new URLSearchParams({
        server: server.url,
        token: crew.editor.accessToken,
        ds: ds.id,
        doc: `component:${component.id}`,
      });
      await page.goto(`${origin}/?${query}`);
      await page.getByTestId('status').filter({ hasText: 'connected' }).waitFor();
      await page.getByTestId('others').getByText(crew.admin.name).waitFor();
      await page.getByTestId('doc').filter({ hasText: 'synced:0' }).waitFor();
      // The web component, outside React, shows the other user too (playwright pierces its shadow root).
      await page.locator(`ensemble-avatars [data-user-id="${crew.admin.id}"]`).waitFor();
      await eventually(() => theirs.doc.getText('code').toString().includes('typed in the scratch app'));
      // The page's caret state reached the peer through the document's awareness.
      await eventually(() =>
        [...theirs.awareness.getStates().values()].some(
          (s) => (s as { user?: { name?: string } }).user?.name === 'Scratch',
        ),
      );
      expect(logged.filter((line) => /already imported|error/i.test(line))).toEqual([]);
      expect(await page.evaluate(() => (window as unknown as { ensembleErrors: string[] }).ensembleErrors)).toEqual([]);
    } finally {
      peer.close();
    }
  });
});
