// A refused edit rolls back in the browser: a viewer types, or an editor types into a component
// another user has locked; the server refuses and reverts the change, so the page's text (the
// textarea included) returns to the server's, `unsyncedChanges` returns to 0 and the page is told
// why (`refused`). The other page never shows the refused text.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Page } from 'playwright-core';
import { openPage, readState, waitForState } from './support/browser.ts';
import { startWorld, type World } from './support/world.ts';

interface SdkState {
  status: string;
  synced: boolean;
  unsynced: number;
  readOnly: boolean;
  text: string;
  typed: [number, number][];
  received: [number, number][];
  others: { id: string }[];
  refused: string[];
}

let world: World;

beforeAll(async () => {
  world = await startWorld();
}, 30_000);

afterAll(async () => {
  await world?.close();
});

const serverCode = async () =>
  (
    await world.server.api
      .as(world.crew.editor)
      .get(`/api/design-systems/${world.ds.id}/components/${world.component.id}`)
  ).body.code as string;

/** Types `text` at the end of the page's editor. */
async function typeAtEnd(page: Page, text: string): Promise<void> {
  await page.locator('#editor').focus();
  await page.keyboard.press('Control+End');
  await page.keyboard.type(text, { delay: 20 });
}

describe('a refused edit in the browser', () => {
  it('is rolled back for a viewer', async () => {
    const { viewer, editor } = world.crew;
    const reader = await openPage(world.browser, world.url('sdk-editor', viewer));
    const other = await openPage(world.browser, world.url('sdk-editor', editor));
    try {
      await waitForState(reader.page, (s: SdkState) => s.synced && s.readOnly);
      await waitForState(other.page, (s: SdkState, id) => s.synced && s.others.some((o) => o.id === id), viewer.id);
      const before = await serverCode();

      await typeAtEnd(reader.page, ' viewer was here');
      await waitForState(reader.page, (s: SdkState) => s.refused.includes('forbidden'));
      await waitForState(reader.page, (s: SdkState, text) => s.text === text && s.unsynced === 0, before);
      expect(await reader.page.locator('#editor').inputValue()).toBe(before);
      // It did type: the change was local first.
      expect((await readState<SdkState>(reader.page)).typed.length).toBeGreaterThan(0);

      expect(await serverCode()).toBe(before);
      const seen = await readState<SdkState>(other.page);
      expect(seen.text).toBe(before);
      expect(await other.page.locator('#editor').inputValue()).toBe(before);
    } finally {
      await reader.context.close();
      await other.context.close();
    }
  });

  it('is rolled back for an editor locked out by another user’s lock, who may then write', async () => {
    const { admin, editor } = world.crew;
    const holder = await openPage(world.browser, world.url('sdk-editor', admin));
    const lockedOut = await openPage(world.browser, world.url('sdk-editor', editor));
    try {
      await waitForState(holder.page, (s: SdkState) => s.synced);
      await waitForState(
        lockedOut.page,
        (s: SdkState, id) => s.synced && !s.readOnly && s.others.some((o) => o.id === id),
        admin.id,
      );
      const componentId = world.component.id;
      expect(
        await holder.page.evaluate(
          (id) => (window as unknown as { __act: { lock(id: string): Promise<boolean> } }).__act.lock(id),
          componentId,
        ),
      ).toBe(true);
      const before = await serverCode();

      await typeAtEnd(lockedOut.page, ' not while locked');
      await waitForState(lockedOut.page, (s: SdkState) => s.refused.includes('locked'));
      await waitForState(lockedOut.page, (s: SdkState, text) => s.text === text && s.unsynced === 0, before);
      expect(await lockedOut.page.locator('#editor').inputValue()).toBe(before);
      expect(await serverCode()).toBe(before);
      expect((await readState<SdkState>(holder.page)).text).toBe(before);

      // Once the lock is released, the same page's next edit goes through to everyone.
      await holder.page.evaluate(
        (id) => (window as unknown as { __act: { unlock(id: string): Promise<void> } }).__act.unlock(id),
        componentId,
      );
      await typeAtEnd(lockedOut.page, ' after unlock');
      const after = `${before} after unlock`;
      await waitForState(lockedOut.page, (s: SdkState, text) => s.text === text && s.unsynced === 0, after);
      await waitForState(holder.page, (s: SdkState, text) => s.text === text, after);
      expect(await serverCode()).toBe(after);
    } finally {
      await holder.context.close();
      await lockedOut.context.close();
    }
  });
});
