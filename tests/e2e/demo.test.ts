// The demo page (/demo) in two browsers: Alice and Bob sign in through the page, open the same
// component and see each other — edits converge, carets show, presence comes and goes, Alice's
// lock makes Bob's editor read-only (an edit he forces through is rolled back), an @mention rings
// Bob's bell, and a token value edited by one reaches the other (a refused one is rolled back).
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Browser } from 'playwright-core';
import { eventually } from '../support/realtime.ts';
import { startTestServer, type TestServer } from '../support/server.ts';
import {
  avatarCount,
  buildDemoWorld,
  editorText,
  forceEdit,
  openDemo,
  typeAtEnd,
  type DemoPage,
  type DemoWorld,
} from './demo-support.ts';
import { launchChromium } from './support/browser.ts';

let server: TestServer;
let browser: Browser;
let world: DemoWorld;
let alice: DemoPage;
let bob: DemoPage;

beforeAll(async () => {
  // No CORS_ORIGINS: the page is the server's own.
  server = await startTestServer();
  browser = await launchChromium();
  world = await buildDemoWorld(server);
  [alice, bob] = await Promise.all([
    openDemo(browser, server.url, world, world.alice),
    openDemo(browser, server.url, world, world.bob),
  ]);
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe('the demo in two browsers', () => {
  it('shows both people in each avatar stack', async () => {
    for (const { page } of [alice, bob]) await eventually(async () => (await avatarCount(page)) === 2, 8000);
    const ids = await bob.page
      .locator('[data-testid=avatar]')
      .evaluateAll((els) => els.map((e) => e.getAttribute('data-user-id')));
    expect(ids.sort()).toEqual([world.alice.id, world.bob.id].sort());
  });

  it('converges typing in one editor into the other, with the remote caret shown', async () => {
    await typeAtEnd(alice.page, '// typed by Alice');
    await eventually(async () => (await editorText(bob.page)).includes('// typed by Alice'), 8000);
    await bob.page.waitForSelector('[data-testid=editor] .cm-ySelectionCaret', { timeout: 8000 });
    expect(await editorText(bob.page)).toBe(await editorText(alice.page));
  });

  it("makes Bob's editor read-only under Alice's lock, naming her, and rolls back an edit he forces", async () => {
    await alice.page.click('[data-testid=lock-button]');
    await alice.page.waitForSelector('[data-testid=lock-badge][data-locked-by]:not([data-locked-by=""])');
    const badge = bob.page.locator('[data-testid=lock-badge]');
    await eventually(async () => (await badge.textContent())?.includes('Alice Adams') ?? false, 8000);
    expect(await bob.page.getAttribute('[data-testid=editor]', 'data-readonly')).toBe('true');
    expect(await bob.page.getAttribute('[data-testid=editor] .cm-content', 'contenteditable')).toBe('false');
    expect(await bob.page.isDisabled('[data-testid=lock-button]')).toBe(true);

    const before = await editorText(bob.page);
    await forceEdit(bob.page, 'FORCED ');
    await bob.page.waitForSelector('[data-testid=editor-error]', { timeout: 8000 });
    expect(await bob.page.textContent('[data-testid=editor-error]')).toContain('locked');
    await eventually(async () => (await editorText(bob.page)) === before, 8000);
    expect(await editorText(alice.page)).toBe(before);

    await alice.page.click('[data-testid=lock-button]');
    await eventually(
      async () => (await bob.page.getAttribute('[data-testid=editor]', 'data-readonly')) === 'false',
      8000,
    );
  });

  it("rings Bob's bell when Alice @mentions him", async () => {
    expect(await bob.page.textContent('[data-testid=bell-count]')).toBe('0');
    await alice.page.fill('[data-testid=comment-input]', `@${world.bob.handle} could you review the padding?`);
    await alice.page.click('[data-testid=comment-submit]');
    await eventually(async () => (await bob.page.textContent('[data-testid=bell-count]')) === '1', 8000);
    // The thread reaches Bob too, with its reaction buttons.
    await bob.page.waitForSelector('[data-testid=comment]:has-text("review the padding")', { timeout: 8000 });
    await bob.page.click('[data-testid=comment] [data-testid=reaction][data-emoji="👍"]');
    await alice.page.waitForSelector('[data-testid=reaction][data-emoji="👍"]:has-text("1")', { timeout: 8000 });
  });

  it('brings a token value edited by Alice to Bob', async () => {
    const row = '[data-testid=token-row][data-path="color.brand.primary"] [data-testid=token-value]';
    await alice.page.fill(row, '#cf222e');
    await alice.page.press(row, 'Enter');
    await eventually(async () => (await bob.page.inputValue(row)) === '#cf222e', 8000);
  });

  it('rolls back a token value the server refuses, saying why', async () => {
    const row = '[data-testid=token-row][data-path="color.brand.primary"] [data-testid=token-value]';
    await bob.page.fill(row, 'not a colour');
    await bob.page.press(row, 'Enter');
    await bob.page.waitForSelector('[data-testid=token-error]:has-text("invalid_tokens")', { timeout: 8000 });
    await eventually(async () => (await bob.page.inputValue(row)) === '#cf222e', 8000);
    expect(await alice.page.inputValue(row)).toBe('#cf222e');
  });

  it('takes Bob out of the avatar stack when he leaves', async () => {
    await bob.context.close();
    await eventually(async () => (await avatarCount(alice.page)) === 1, 10_000);
    expect(alice.errors.filter((e) => !/favicon/.test(e))).toEqual([]);
  });
});
