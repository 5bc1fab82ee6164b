// One Ensemble, the fixture site and Chromium for a browser test file, with a team whose owner,
// admin, editor and viewer share a design system and a component. API (kept small and stable):
//
//   const world = await startWorld({ PRESENCE_TTL_SECONDS: '6' });  // beforeAll; env overrides
//   world.server, world.site, world.browser, world.crew, world.ds, world.component, world.docName
//   world.url('sdk-editor', world.crew.editor, { name: 'Ed' })     // a page signed in as a user
//   await world.close();                                            // afterAll
//
// The server runs in-process (tests/support/server.ts) with the site's origin in CORS_ORIGINS.
import type { Browser } from 'playwright-core';
import { buildComponent, buildCrew, buildDesignSystem, type TestUser } from '../../support/factories.ts';
import { startTestServer, type TestServer } from '../../support/server.ts';
import { launchChromium } from './browser.ts';
import { serveFixtures, type FixtureSite } from './site.ts';

export interface World {
  server: TestServer;
  site: FixtureSite;
  browser: Browser;
  crew: Awaited<ReturnType<typeof buildCrew>>;
  ds: { id: string; name: string };
  component: { id: string; name: string; code: string };
  /** `component:<id>` of the component. */
  docName: string;
  /** Page `name` for `user`: server, token, refresh token, design system and document in the query. */
  url(name: string, user: TestUser, params?: Record<string, string>): string;
  close(): Promise<void>;
}

/** Starts the server (with `env` overrides), the site and Chromium, and builds the crew's data over REST. */
export async function startWorld(env: Record<string, string> = {}): Promise<World> {
  const site = await serveFixtures();
  const server = await startTestServer({ CORS_ORIGINS: site.origin, ...env });
  const browser = await launchChromium();
  const crew = await buildCrew(server);
  const ds = await buildDesignSystem(server, crew.team, crew.editor);
  const component = await buildComponent(server, ds.id, crew.editor);
  const docName = `component:${component.id}`;
  return {
    server,
    site,
    browser,
    crew,
    ds,
    component,
    docName,
    url: (name, user, params = {}) =>
      site.url(name, {
        server: server.url,
        token: user.accessToken,
        ds: ds.id,
        doc: docName,
        name: user.name,
        ...params,
      }),
    async close() {
      await browser.close();
      await server.close();
      await site.close();
    },
  };
}
