// A stock y-websocket WebsocketProvider page (connected to /yjs as docs/realtime.md says) and an SDK
// page, in two Chromium contexts, type into the same component's code at once: both end with the
// same text holding every keystroke of both; the /yjs user is in the SDK room's presence (viewing
// the document) and each page's Awareness shows the other.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { openPage, readState, waitForState } from './support/browser.ts';
import { startWorld, type World } from './support/world.ts';

interface EditorState {
  status: string;
  synced: boolean;
  text: string;
  awareness: string[];
  others?: { id: string; viewing: string[] }[];
  errors?: string[];
  denied?: string[];
}

let world: World;

beforeAll(async () => {
  world = await startWorld();
}, 30_000);

afterAll(async () => {
  await world?.close();
});

describe('a y-websocket page and an SDK page', () => {
  it('edit the same text at once and converge, and see each other', async () => {
    const { editor, admin } = world.crew;
    const yws = await openPage(world.browser, world.url('yws-editor', admin));
    const sdk = await openPage(world.browser, world.url('sdk-editor', editor));
    try {
      await waitForState(yws.page, (s: EditorState) => s.status === 'connected' && s.synced);
      await waitForState(sdk.page, (s: EditorState) => s.status === 'connected' && s.synced);
      const initial = world.component.code;
      expect((await readState<EditorState>(yws.page)).text).toBe(initial);

      // Presence: the /yjs user is one of the SDK's others, with the document in `viewing`.
      await waitForState(
        sdk.page,
        (s: EditorState, [id, doc]) => Boolean(s.others?.some((o) => o.id === id && o.viewing.includes(doc))),
        [admin.id, world.docName] as [string, string],
      );
      await waitForState(sdk.page, (s: EditorState, name) => s.awareness.includes(name), admin.name);
      await waitForState(yws.page, (s: EditorState, name) => s.awareness.includes(name), editor.name);

      // Both type at the same time, each at its own place: the start and the end of the text.
      await yws.page.locator('#editor').focus();
      await yws.page.keyboard.press('Control+Home');
      await sdk.page.locator('#editor').focus();
      await sdk.page.keyboard.press('Control+End');
      const fromYws = '/* from y-websocket */ ';
      const fromSdk = '// typed through the SDK';
      await Promise.all([
        yws.page.keyboard.type(fromYws, { delay: 15 }),
        sdk.page.keyboard.type(fromSdk, { delay: 15 }),
      ]);

      const expected = fromYws + initial + fromSdk;
      await waitForState(yws.page, (s: EditorState, text) => s.text === text, expected);
      await waitForState(sdk.page, (s: EditorState, text) => s.text === text, expected);
      // What the textareas show, not only the Y.Text.
      expect(await yws.page.locator('#editor').inputValue()).toBe(expected);
      expect(await sdk.page.locator('#editor').inputValue()).toBe(expected);

      // And the server stored it: REST reads the same code once the SDK page has nothing unsaved.
      await waitForState(sdk.page, (s: EditorState & { unsynced: number }) => s.unsynced === 0);
      const stored = await world.server.api
        .as(editor)
        .get(`/api/design-systems/${world.ds.id}/components/${world.component.id}`);
      expect(stored.body.code).toBe(expected);

      // Closing the provider's page takes the /yjs user out of presence and Awareness.
      await yws.context.close();
      await waitForState(sdk.page, (s: EditorState, id) => !s.others?.some((o) => o.id === id), admin.id);
      await waitForState(sdk.page, (s: EditorState, name) => !s.awareness.includes(name), admin.name);
      expect((await readState<EditorState>(sdk.page)).errors).toEqual([]);
    } finally {
      await yws.context.close().catch(() => undefined);
      await sdk.context.close();
    }
  });
});
