// One of two SDK pages goes offline for 5 s (`context.setOffline`: Chromium closes its WebSocket and
// refuses new ones) while both keep typing. Back online, the SDK reconnects at once (the browser's
// `online` event), its status goes reconnecting → connected, `synced` comes back, and both pages and
// the server end with the same text holding every edit made on either side.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { openPage, readState, waitForState } from './support/browser.ts';
import { startWorld, type World } from './support/world.ts';

interface SdkState {
  status: string;
  statuses: string[];
  synced: boolean;
  unsynced: number;
  text: string;
  others: { id: string }[];
  errors: string[];
  authFailed: boolean;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
let world: World;

beforeAll(async () => {
  world = await startWorld();
}, 30_000);

afterAll(async () => {
  await world?.close();
});

describe('an SDK page offline for 5 s', () => {
  it('keeps every edit of both sides and comes back connected and synced', async () => {
    const { editor, admin } = world.crew;
    const away = await openPage(world.browser, world.url('sdk-editor', editor));
    const here = await openPage(world.browser, world.url('sdk-editor', admin));
    try {
      await waitForState(away.page, (s: SdkState) => s.synced && s.status === 'connected');
      await waitForState(here.page, (s: SdkState, id) => s.synced && s.others.some((o) => o.id === id), editor.id);
      await away.page.locator('#editor').focus();
      await away.page.keyboard.press('Control+Home');
      await here.page.locator('#editor').focus();
      await here.page.keyboard.press('Control+End');

      await away.context.setOffline(true);
      await waitForState(away.page, (s: SdkState) => s.status === 'reconnecting' && !s.synced);
      // Both sides type during the outage, in bursts.
      for (const [i, word] of ['one ', 'two ', 'three '].entries()) {
        await away.page.keyboard.type(`away-${word}`, { delay: 20 });
        await here.page.keyboard.type(` here-${i}`, { delay: 20 });
        await sleep(1500);
      }
      const during = await readState<SdkState>(away.page);
      expect(during.synced).toBe(false);
      expect(during.unsynced).toBeGreaterThan(0);
      expect(during.text).not.toContain('here-');
      // The outage lasts 5 s in all.
      await sleep(500);
      await away.context.setOffline(false);

      const expected = `away-one away-two away-three ${world.component.code} here-0 here-1 here-2`;
      await waitForState(
        away.page,
        (s: SdkState, text) => s.text === text && s.synced && s.unsynced === 0 && s.status === 'connected',
        expected,
      );
      await waitForState(here.page, (s: SdkState, text) => s.text === text, expected);
      const after = await readState<SdkState>(away.page);
      const since = after.statuses.slice(after.statuses.indexOf('reconnecting'));
      expect(since[0]).toBe('reconnecting');
      expect(since.at(-1)).toBe('connected');
      expect(after.errors.filter((code) => code !== 'service_unavailable')).toEqual([]);
      expect(after.authFailed).toBe(false);
      expect(await away.page.locator('#editor').inputValue()).toBe(expected);

      const stored = await world.server.api
        .as(editor)
        .get(`/api/design-systems/${world.ds.id}/components/${world.component.id}`);
      expect(stored.body.code).toBe(expected);
    } finally {
      await away.context.close();
      await here.context.close();
    }
  });
});
