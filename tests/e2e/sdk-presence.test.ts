// Two people on the SDK in two Chromium contexts: each appears in the other's presence, a cursor
// moved over one page arrives on the other, the document's y-protocols Awareness carries the other's
// state, and closing one context removes that person from the other's presence within
// PRESENCE_TTL_SECONDS (the documented bound: a closed tab's socket usually goes at once).
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { openPage, readState, waitForState } from './support/browser.ts';
import { startWorld, type World } from './support/world.ts';

interface SdkState {
  status: string;
  synced: boolean;
  self: { id: string } | null;
  others: { id: string; name: string; viewing: string[] }[];
  cursors: [string, number, number, number][];
  awareness: string[];
  errors: string[];
}

const PRESENCE_TTL_SECONDS = 6;
let world: World;

beforeAll(async () => {
  world = await startWorld({ PRESENCE_TTL_SECONDS: String(PRESENCE_TTL_SECONDS) });
}, 30_000);

afterAll(async () => {
  await world?.close();
});

describe('two SDK pages', () => {
  it('see each other, a cursor and the Awareness; closing one removes that person', async () => {
    const { editor, admin } = world.crew;
    const a = await openPage(world.browser, world.url('sdk-editor', editor));
    const b = await openPage(world.browser, world.url('sdk-editor', admin));
    try {
      await waitForState(b.page, (s: SdkState, id) => s.others.some((o) => o.id === id), editor.id);
      await waitForState(a.page, (s: SdkState, id) => s.others.some((o) => o.id === id), admin.id);
      // Both opened the component: presence says so.
      await waitForState(
        b.page,
        (s: SdkState, [id, doc]) => s.others.some((o) => o.id === id && o.viewing.includes(doc)),
        [editor.id, world.docName] as [string, string],
      );

      await a.page.mouse.move(120, 400);
      const box = await a.page.locator('#canvas').boundingBox();
      if (!box) throw new Error('no #canvas');
      await a.page.mouse.move(box.x + 37, box.y + 91);
      await waitForState(
        b.page,
        (s: SdkState, id) => s.cursors.some(([u, x, y]) => u === id && Math.abs(x - 37) < 1 && Math.abs(y - 91) < 1),
        editor.id,
      );

      await waitForState(b.page, (s: SdkState, name) => s.awareness.includes(name), editor.name);
      await waitForState(a.page, (s: SdkState, name) => s.awareness.includes(name), admin.name);
      // A change of A's Awareness state (a caret moving) reaches B's Awareness.
      await a.page.evaluate(() =>
        (window as unknown as { __act: { setAwareness(f: string, v: string): void } }).__act.setAwareness(
          'caret',
          'line 2',
        ),
      );
      await waitForState(b.page, (s: SdkState, name) => s.awareness.includes(`${name} @ line 2`), editor.name);

      await a.context.close();
      await waitForState(
        b.page,
        (s: SdkState, id) => !s.others.some((o) => o.id === id),
        editor.id,
        PRESENCE_TTL_SECONDS * 1000,
      );
      await waitForState(
        b.page,
        (s: SdkState, name) => !s.awareness.includes(name),
        editor.name,
        PRESENCE_TTL_SECONDS * 1000,
      );
      const state = await readState<SdkState>(b.page);
      expect(state.status).toBe('connected');
      expect(state.errors).toEqual([]);
      expect(b.logs.filter((l) => /error/i.test(l))).toEqual([]);
    } finally {
      await a.context.close().catch(() => undefined);
      await b.context.close();
    }
  });
});
