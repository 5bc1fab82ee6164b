// Screenshots of the demo for the README: two people in two Chromium contexts on one component.
//   docs/images/demo-editor.png — Alice's page: Bob's caret and selection in the editor, his
//                                 pointer over the page, both avatars, a comment thread;
//   docs/images/demo-lock.png   — Bob's page while Alice holds the lock: badge and read-only editor.
// Starts Ensemble with its embedded defaults on free ports and a scratch data directory (or uses
// BASE_URL), creates the two users and their design system over REST, then drives the page.
// Usage: npm run screenshots   (BASE_URL=http://localhost:3000 npm run screenshots)
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const root = fileURLToPath(new URL('..', import.meta.url));
const out = join(root, 'docs/images');
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--hide-scrollbars',
];
const VIEWPORT = { width: 1440, height: 900 };

const freePort = () =>
  new Promise((resolve, reject) => {
    const srv = createServer().once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });

/** Starts `node src/main.ts` on free ports; resolves once /ready answers. */
async function startServer() {
  const [port, pgPort] = [await freePort(), await freePort()];
  const dataDir = mkdtempSync(join(tmpdir(), 'ensemble-screens-'));
  const env = {
    ...process.env,
    PORT: String(port),
    EMBEDDED_PG_PORT: String(pgPort),
    DATA_DIR: dataDir,
    LOG_LEVEL: 'warn',
    NODE_ENV: 'development',
  };
  const child = spawn(process.execPath, ['src/main.ts'], { cwd: root, env, stdio: ['ignore', 'inherit', 'inherit'] });
  const url = `http://127.0.0.1:${port}`;
  const exited = new Promise((_, reject) =>
    child.once('exit', (code) => reject(new Error(`the server exited (${code})`))),
  );
  const ready = (async () => {
    for (let i = 0; i < 240; i++) {
      const ok = await fetch(`${url}/ready`).then(
        (r) => r.ok,
        () => false,
      );
      if (ok) return;
      await new Promise((r) => setTimeout(r, 250));
    }
    throw new Error('the server did not become ready in 60 s');
  })();
  await Promise.race([ready, exited]);
  return {
    url,
    async stop() {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** A JSON REST call; throws on failure. */
async function call(base, path, { token, body, method } = {}) {
  const res = await fetch(`${base}${path}`, {
    method: method ?? (body ? 'POST' : 'GET'),
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  const json = res.status === 204 ? null : await res.json();
  if (!res.ok) throw new Error(`${path}: ${res.status} ${JSON.stringify(json)}`);
  return json;
}

const CODE = `import type { ReactNode } from 'react';

export interface ButtonProps {
  /** What the button says. */
  children?: ReactNode;
  /** Visual weight. */
  variant?: 'primary' | 'secondary';
  onClick?: () => void;
}

/** The primary action of a view: one per screen. */
export function Button({ children, variant = 'primary', onClick }: ButtonProps) {
  return (
    <button
      className={\`btn btn-\${variant}\`}
      style={{
        background: variant === 'primary' ? 'var(--color-brand-primary)' : 'transparent',
        padding: 'var(--space-sm) var(--space-md)',
        borderRadius: 'var(--radius-md)',
      }}
      onClick={onClick}
    >
      {children}
    </button>
  );
}
`;

const TOKENS = [
  ['color.brand.primary', 'color', '#0969da', 'Primary actions and links'],
  ['color.text.default', 'color', '#1f2328', 'Body text'],
  ['color.surface.subtle', 'color', '#f6f8fa', 'Cards and panels'],
  ['space.sm', 'dimension', '8px', 'Tight gaps'],
  ['space.md', 'dimension', '12px', 'Default gap'],
  ['radius.md', 'dimension', '6px', 'Buttons and inputs'],
];

/** Two users in one team, a design system with tokens and a Button, over REST. */
async function seed(base) {
  // A scratch server gets plain names; a shared one (BASE_URL) unique ones.
  const suffix = process.env.BASE_URL ? `.${Date.now().toString(36)}` : '';
  const password = 'Ensemble-demo-screens-2026!';
  const register = (name, handle) =>
    call(base, '/api/auth/register', { body: { email: `${handle}${suffix}@acme.example`, password, name } });
  const alice = await register('Alice Martin', 'alice');
  const bob = await register('Bob Chen', 'bob');
  const team = await call(base, '/api/teams', { token: alice.accessToken, body: { name: 'Acme Design' } });
  await call(base, `/api/teams/${team.id}/members`, {
    token: alice.accessToken,
    body: { userId: bob.user.id, role: 'editor' },
  });
  const ds = await call(base, '/api/design-systems', {
    token: alice.accessToken,
    body: { teamId: team.id, name: 'Acme UI', version: '1.4.0' },
  });
  for (const [path, $type, $value, $description] of TOKENS)
    await call(base, `/api/design-systems/${ds.id}/tokens`, {
      token: alice.accessToken,
      body: { path, $type, $value, $description },
    });
  for (const name of ['Badge', 'Card'])
    await call(base, `/api/design-systems/${ds.id}/components`, {
      token: alice.accessToken,
      body: { name, category: 'display', code: `export const ${name} = () => null;\n` },
    });
  const button = await call(base, `/api/design-systems/${ds.id}/components`, {
    token: alice.accessToken,
    body: { name: 'Button', category: 'actions', status: 'review', code: CODE },
  });
  return { alice: { ...alice, password }, bob: { ...bob, password }, ds, button };
}

async function openAs(browser, base, world, who) {
  const context = await browser.newContext({ viewport: VIEWPORT, deviceScaleFactor: 1 });
  const page = await context.newPage();
  await page.goto(`${base}/demo?ds=${world.ds.id}&component=${world.button.id}`);
  await page.fill('[data-testid=signin-email]', who.user.email);
  await page.fill('[data-testid=signin-password]', who.password);
  await page.click('[data-testid=signin-submit]');
  await page.waitForSelector('[data-testid=status][data-status=connected]');
  await page.waitForSelector('[data-testid=editor] .cm-editor');
  await page.waitForSelector('[data-testid=token-row]');
  return page;
}

/** Selects `text` in the editor by keyboard (the selection travels as awareness). */
async function select(page, line, fromCol, length) {
  await page.click('[data-testid=editor] .cm-content');
  await page.keyboard.press('Control+Home');
  for (let i = 1; i < line; i++) await page.keyboard.press('ArrowDown');
  await page.keyboard.press('Home');
  for (let i = 0; i < fromCol; i++) await page.keyboard.press('ArrowRight');
  for (let i = 0; i < length; i++) await page.keyboard.press('Shift+ArrowRight');
}

const started = Date.now();
const server = process.env.BASE_URL
  ? { url: process.env.BASE_URL.replace(/\/$/, ''), stop: async () => {} }
  : await startServer();
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  args: CHROMIUM_ARGS,
});
try {
  const world = await seed(server.url);
  const alice = await openAs(browser, server.url, world, world.alice);
  const bob = await openAs(browser, server.url, world, world.bob);
  mkdirSync(out, { recursive: true });

  // A conversation first, then Bob selects the padding line and Alice types below it.
  await bob.fill(
    '[data-testid=comment-input]',
    `@${world.alice.user.handle} should the padding use space.sm on small screens?`,
  );
  await bob.click('[data-testid=comment-submit]');
  await alice.waitForSelector('[data-testid=comment]');
  await alice.click('[data-testid=comment] [data-testid=reaction][data-emoji="👍"]');
  await select(bob, 18, 8, 44);
  await select(alice, 11, 0, 0);
  await alice.keyboard.press('End');
  await alice.keyboard.type('\n// Keep one primary button per view');
  await alice.waitForSelector('[data-testid=editor] .cm-ySelectionCaret');
  await bob.mouse.move(980, 620, { steps: 8 });
  await alice.waitForSelector('[data-testid=remote-cursor]');
  await alice.mouse.move(1200, 860);
  await alice.waitForTimeout(600);
  await alice.screenshot({ path: join(out, 'demo-editor.png') });

  // Alice takes the lock: Bob's editor turns read-only and the badge names her.
  await alice.click('[data-testid=lock-button]');
  await bob.waitForSelector('[data-testid=lock-badge].badge-locked');
  await bob.waitForSelector('[data-testid=editor][data-readonly=true]');
  await alice.mouse.move(700, 420, { steps: 8 });
  await bob.waitForTimeout(600);
  await bob.screenshot({ path: join(out, 'demo-lock.png') });
  console.log(`wrote docs/images/demo-editor.png and demo-lock.png in ${((Date.now() - started) / 1000).toFixed(1)} s`);
} finally {
  await browser.close();
  await server.stop();
}
