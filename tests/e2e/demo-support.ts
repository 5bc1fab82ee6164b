// Helpers for the demo's browser tests (tests/e2e/demo.test.ts): a team of two editors sharing a
// design system with tokens and a component, built over REST, and a signed-in demo page per user
// (each in its own browser context, signed in through the page's own form).
import type { Browser, BrowserContext, Page } from 'playwright-core';
import {
  addMember,
  buildComponent,
  buildDesignSystem,
  buildTeam,
  buildUser,
  type TestUser,
} from '../support/factories.ts';
import type { TestServer } from '../support/server.ts';

export interface DemoWorld {
  alice: TestUser & { handle: string };
  bob: TestUser & { handle: string };
  ds: { id: string; name: string };
  component: { id: string; name: string };
}

const TOKENS = [
  { path: 'color.brand.primary', $type: 'color', $value: '#0969da' },
  { path: 'space.md', $type: 'dimension', $value: '12px' },
];

async function withHandle(server: TestServer, user: TestUser): Promise<TestUser & { handle: string }> {
  const me = await server.api.as(user).get('/api/auth/me');
  return { ...user, handle: String(me.body.handle) };
}

/** Alice (owner) and Bob (editor) in one team, a design system with two tokens and a Button. */
export async function buildDemoWorld(server: TestServer): Promise<DemoWorld> {
  const alice = await withHandle(server, await buildUser(server, { name: 'Alice Adams' }));
  const bob = await withHandle(server, await buildUser(server, { name: 'Bob Brown' }));
  const team = await buildTeam(server, alice);
  await addMember(server, team, alice, bob, 'editor');
  const ds = await buildDesignSystem(server, team, alice, 'Acme UI');
  for (const token of TOKENS) {
    const res = await server.api.as(alice).post(`/api/design-systems/${ds.id}/tokens`, token);
    if (res.status !== 201) throw new Error(`token: ${res.status} ${JSON.stringify(res.body)}`);
  }
  const component = await buildComponent(server, ds.id, alice, {
    name: 'Button',
    code: 'export const Button = () => null;\n',
  });
  return { alice, bob, ds, component };
}

export interface DemoPage {
  page: Page;
  context: BrowserContext;
  /** Console errors and uncaught exceptions of the page. */
  errors: string[];
}

/** Opens the demo's deep link in a new context, signs in as `user` and waits for the live editor. */
export async function openDemo(
  browser: Browser,
  baseUrl: string,
  world: DemoWorld,
  user: TestUser,
  viewport = { width: 1400, height: 900 },
): Promise<DemoPage> {
  const context = await browser.newContext({ viewport });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
  page.on('pageerror', (err) => errors.push(err.message));
  await page.goto(`${baseUrl}/demo?ds=${world.ds.id}&component=${world.component.id}`);
  await page.fill('[data-testid=signin-email]', user.email);
  await page.fill('[data-testid=signin-password]', user.password);
  await page.click('[data-testid=signin-submit]');
  await page.waitForSelector('[data-testid=status][data-status=connected]');
  await page.waitForSelector('[data-testid=editor] .cm-editor');
  await page.waitForSelector('[data-testid=token-row]');
  return { page, context, errors };
}

/** What the demo page exposes as `window.ensembleDemo` (demo/src/debug.ts), as far as tests use it. */
export interface DemoHandle {
  editor?: {
    state: { doc: { toString(): string } };
    dispatch(spec: { changes: { from: number; insert: string } }): void;
  };
}

/** The editor's text. */
export function editorText(page: Page): Promise<string> {
  return page.evaluate(
    () => (globalThis as { ensembleDemo?: DemoHandle }).ensembleDemo?.editor?.state.doc.toString() ?? '',
  );
}

/** Inserts `text` at the start through the editor's view, as code would: no read-only check applies. */
export function forceEdit(page: Page, text: string): Promise<void> {
  return page.evaluate(
    (t) =>
      (globalThis as { ensembleDemo?: DemoHandle }).ensembleDemo?.editor?.dispatch({ changes: { from: 0, insert: t } }),
    text,
  );
}

/** How many people the avatar stack shows. */
export function avatarCount(page: Page): Promise<number> {
  return page.locator('[data-testid=avatars] [data-testid=avatar]').count();
}

/** Types `text` at the end of the editor. */
export async function typeAtEnd(page: Page, text: string): Promise<void> {
  await page.click('[data-testid=editor] .cm-content');
  await page.keyboard.press('Control+End');
  await page.keyboard.type(text);
}
