import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { buildApiKey, buildCrew } from '../support/factories.ts';
import { connect, type Client } from '../support/realtime.ts';
import { startTestServer, type TestServer } from '../support/server.ts';

let server: TestServer;
let crew: Awaited<ReturnType<typeof buildCrew>>;
const open: Client[] = [];
beforeAll(async () => {
  server = await startTestServer({ MAX_CONNECTIONS_PER_USER: '2', CORS_ORIGINS: 'https://app.example' });
  crew = await buildCrew(server);
});
afterAll(async () => {
  for (const c of open) c.close();
  await server.close();
});

const refusal = (p: Promise<unknown>) =>
  p.then(
    () => null,
    (err: { data?: { code: string } }) => err.data?.code,
  );

describe('Socket.IO handshake', () => {
  it('refuses a missing or bad token with a clear code', async () => {
    expect(await refusal(connect(server, null))).toBe('unauthenticated');
    expect(await refusal(connect(server, 'not-a-token'))).toBe('invalid_token');
  });

  it('accepts an access token and an API key', async () => {
    const a = await connect(server, crew.viewer);
    const key = await buildApiKey(server, crew.team, crew.admin, ['read']);
    const b = await connect(server, key);
    open.push(a, b);
    expect(a.connected && b.connected).toBe(true);
  });

  it('refuses origins outside the allowlist', async () => {
    expect(await refusal(connect(server, crew.editor, { origin: 'https://evil.example' }))).toBe('forbidden');
    const ok = await connect(server, crew.editor, { origin: 'https://app.example' });
    ok.close();
  });

  it('caps connections per user', async () => {
    const first = await connect(server, crew.outsider);
    const second = await connect(server, crew.outsider);
    open.push(first, second);
    expect(await refusal(connect(server, crew.outsider))).toBe('rate_limited');
    second.close();
    await new Promise((r) => setTimeout(r, 200));
    const third = await connect(server, crew.outsider);
    open.push(third);
    expect(third.connected).toBe(true);
  });
});
