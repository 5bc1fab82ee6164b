// An SDK page signed in with a short-lived access token and its refresh token, using
// `createTokenRefresher` over `POST /api/auth/refresh` (cross-origin, as an app does), keeps typing
// across the token's expiry: the server's `reauth` is answered with a refreshed token, the
// connection never drops, no edit is lost and the page never hears of an authentication failure.
// ACCESS_TOKEN_TTL_SECONDS is set to its least allowed value (60 s) for the refreshed tokens; the
// sign-in token is minted for 8 s with the server's own key, so the expiry falls inside the test.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import jwt from 'jsonwebtoken';
import { AccessTokens } from '../../src/services/auth/jwt.ts';
import type { TestUser } from '../support/factories.ts';
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
  refreshes: number;
}

const SIGN_IN_TTL_SECONDS = 8;
let world: World;

beforeAll(async () => {
  world = await startWorld({ ACCESS_TOKEN_TTL_SECONDS: '60' });
}, 30_000);

afterAll(async () => {
  await world?.close();
});

/** An access token of `user`'s session that expires in `seconds`, signed as the server signs them. */
function shortToken(user: TestUser, seconds: number): string {
  const { sid } = jwt.decode(user.accessToken) as { sid: string };
  const { JWT_SECRET, JWT_ISSUER, JWT_AUDIENCE } = world.server.config;
  return new AccessTokens({
    secret: JWT_SECRET as string,
    issuer: JWT_ISSUER,
    audience: JWT_AUDIENCE,
    ttlSeconds: seconds,
  }).sign({ sub: user.id, sid });
}

describe('an SDK page whose access token expires while the user types', () => {
  it('refreshes it and loses no edit', async () => {
    const { editor, admin } = world.crew;
    const signedInAt = Date.now();
    // The refresher reads the expiry from the token itself. The server asks for a fresh token a
    // quarter of its remaining life before expiry (≈ 1.8 s here); a 3 s leeway makes that first ask
    // refresh, leaving the refresh and the reauth that much time even on a loaded machine.
    const params = { token: shortToken(editor, SIGN_IN_TTL_SECONDS), refresh: editor.refreshToken, leeway: '3000' };
    const typist = await openPage(world.browser, world.url('sdk-editor', editor, params));
    const watcher = await openPage(world.browser, world.url('sdk-editor', admin));
    try {
      await waitForState(typist.page, (s: SdkState) => s.synced && s.status === 'connected');
      await waitForState(watcher.page, (s: SdkState, id) => s.synced && s.others.some((o) => o.id === id), editor.id);
      await typist.page.locator('#editor').focus();
      await typist.page.keyboard.press('Control+End');

      // Type one word after another until well past the sign-in token's expiry.
      const words: string[] = [];
      for (let i = 0; Date.now() < signedInAt + (SIGN_IN_TTL_SECONDS + 3) * 1000; i++) {
        words.push(` w${i}`);
        await typist.page.keyboard.type(` w${i}`, { delay: 30 });
      }
      const expected = world.component.code + words.join('');
      await waitForState(typist.page, (s: SdkState, text) => s.text === text && s.unsynced === 0, expected);
      await waitForState(watcher.page, (s: SdkState, text) => s.text === text, expected);

      const state = await readState<SdkState>(typist.page);
      expect(state.refreshes).toBeGreaterThanOrEqual(1);
      expect(state.statuses).toEqual(['connected']);
      expect(state.authFailed).toBe(false);
      expect(state.errors).toEqual([]);
      const stored = await world.server.api
        .as(editor)
        .get(`/api/design-systems/${world.ds.id}/components/${world.component.id}`);
      expect(stored.body.code).toBe(expected);
    } finally {
      await typist.context.close();
      await watcher.context.close();
    }
  });
  it('refreshes a kept session whose access token expired before the page opened', async () => {
    // An app that keeps the sign-in answer (say in sessionStorage) and builds the refresher on a
    // later visit: `expiresIn` counted from now overstates a token that has already run out.
    const { editor } = world.crew;
    // A session of its own: the first test rotated the editor's refresh token.
    const login = await world.server.api.post('/api/auth/login', { email: editor.email, password: editor.password });
    expect(login.status).toBe(200);
    const session = { ...editor, accessToken: login.body.accessToken as string };
    const expired = shortToken(session, 1);
    await new Promise((r) => setTimeout(r, 2100));
    const params = { token: expired, expiresIn: '900', refresh: login.body.refreshToken as string };
    const late = await openPage(world.browser, world.url('sdk-editor', editor, params));
    try {
      await waitForState(late.page, (s: SdkState) => s.synced && s.status === 'connected');
      const state = await readState<SdkState>(late.page);
      expect(state.authFailed).toBe(false);
      expect(state.refreshes).toBe(1);
    } finally {
      await late.context.close();
    }
  });
});
