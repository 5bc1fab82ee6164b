// The SDK's connection lifecycle against a real server: status, reconnects (after the server closed
// the connection, at once when the browser comes online), the token function on every connect, the
// authentication-failed hook, the token refresher, others/self and the cursor throttle.
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import {
  createTokenRefresher,
  EnsembleClient,
  type ConnectionStatus,
  type EnsembleClientOptions,
  type EnsembleError,
} from '../../sdk/src/index.ts';
import { buildCrew, buildDesignSystem } from '../support/factories.ts';
import { eventually } from '../support/realtime.ts';
import { startTestServer, type TestServer } from '../support/server.ts';

let server: TestServer;
let crew: Awaited<ReturnType<typeof buildCrew>>;
let ds: { id: string };
let clients: EnsembleClient[] = [];
beforeAll(async () => {
  server = await startTestServer();
  crew = await buildCrew(server);
  ds = await buildDesignSystem(server, crew.team, crew.editor);
});
afterEach(() => {
  for (const c of clients) c.close();
  clients = [];
});
afterAll(() => server.close());

function client(options: Partial<EnsembleClientOptions> & Pick<EnsembleClientOptions, 'token'>): EnsembleClient {
  const c = new EnsembleClient({
    url: server.url,
    ...options,
    socket: { forceNew: true, reconnectionDelay: 50, ...options.socket },
  });
  clients.push(c);
  return c;
}

const watch = (c: EnsembleClient) => {
  const seen: ConnectionStatus[] = [c.status];
  c.on('status', (s) => seen.push(s));
  return seen;
};

const kickAll = async (userId: string) => {
  for (const s of (await server.hub?.io.in(`user:${userId}`).fetchSockets()) ?? []) s.disconnect(true);
};

describe('connection lifecycle', () => {
  it('reports its status through a server disconnect, a reconnect and a close, calling the token function each time', async () => {
    let calls = 0;
    const c = client({
      token: () => {
        calls++;
        return crew.editor.accessToken;
      },
    });
    const seen = watch(c);
    await c.ready();
    expect(c.status).toBe('connected');
    await kickAll(crew.editor.id);
    await eventually(() => seen.at(-1) === 'connected' && seen.length >= 4);
    expect(seen).toEqual(['connecting', 'connected', 'reconnecting', 'connected']);
    expect(calls).toBe(2);
    c.close();
    expect(c.status).toBe('disconnected');
  });

  it('connects again at once when the browser comes online, skipping the backoff', async () => {
    // The browser's window, as the SDK finds it: an EventTarget with `online` events.
    const host = new EventTarget();
    const g = globalThis as { addEventListener?: unknown; removeEventListener?: unknown };
    g.addEventListener = host.addEventListener.bind(host);
    g.removeEventListener = host.removeEventListener.bind(host);
    try {
      const c = client({
        token: crew.editor.accessToken,
        socket: { reconnectionDelay: 20_000, reconnectionDelayMax: 20_000, randomizationFactor: 0 },
      });
      await c.ready();
      c.socket.io.engine.close(); // the network went away: socket.io-client now waits 20 s
      await eventually(() => c.status === 'reconnecting');
      const started = Date.now();
      host.dispatchEvent(new Event('online'));
      await eventually(() => c.status === 'connected');
      expect(Date.now() - started).toBeLessThan(2000);
    } finally {
      delete g.addEventListener;
      delete g.removeEventListener;
    }
  });

  it('tries a token function once more after a refusal, then tells the app to sign in again', async () => {
    const tokens = ['expired-or-garbage', crew.editor.accessToken];
    const recovers = client({ token: () => tokens.shift() ?? 'none' });
    await eventually(() => recovers.status === 'connected');

    const failures: EnsembleError[] = [];
    const hopeless = client({ token: () => 'garbage', onAuthenticationFailed: (err) => failures.push(err) });
    await eventually(() => failures.length === 1 && hopeless.status === 'disconnected');
    expect(failures[0]?.code).toBe('invalid_token');

    const plain: EnsembleError[] = [];
    const fixed = client({ token: 'garbage', onAuthenticationFailed: (err) => plain.push(err) });
    await eventually(() => plain.length === 1 && fixed.status === 'disconnected');
  });

  it('refreshes access tokens through the refresh-token flow, once for many callers', async () => {
    let refreshToken = crew.viewer.refreshToken;
    let refreshes = 0;
    const token = createTokenRefresher({
      initial: { accessToken: crew.viewer.accessToken, expiresIn: 0 }, // already due: the first call refreshes
      refresh: async () => {
        refreshes++;
        const res = await fetch(`${server.url}/api/auth/refresh`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ refreshToken }),
        });
        const pair = (await res.json()) as { accessToken: string; refreshToken: string; expiresIn: number };
        refreshToken = pair.refreshToken;
        return pair;
      },
    });
    const [a, b] = await Promise.all([token(), token()]);
    expect(a).toBe(b);
    expect(refreshes).toBe(1);
    expect(await token()).toBe(a); // fresh for another 15 minutes
    const c = client({ token });
    await c.ready();
    expect(await c.api<{ id: string }>('/api/auth/me')).toMatchObject({ id: crew.viewer.id });
  });
});

describe('room presence', () => {
  it('tells others from self and sends at most one cursor move per throttle interval', async () => {
    const mine = await client({ token: crew.editor.accessToken, cursorThrottleMs: 50 }).joinDesignSystem(ds.id);
    const theirs = await client({ token: crew.admin.accessToken }).joinDesignSystem(ds.id);
    await eventually(() => mine.others.length === 1 && theirs.others.length === 1);
    expect(mine.others.map((e) => e.user.id)).toEqual([crew.admin.id]);
    expect(mine.self?.user.id).toBe(crew.editor.id);
    expect(theirs.others.map((e) => e.user.id)).toEqual([crew.editor.id]);

    let arrived = 0;
    theirs.on('cursor', (userId) => userId === crew.editor.id && arrived++);
    const until = Date.now() + 1000;
    for (let x = 0; Date.now() < until; x++) {
      mine.moveCursor({ x, y: x });
      await new Promise((r) => setTimeout(r, 4));
    }
    await new Promise((r) => setTimeout(r, 200));
    // 1 s at 50 ms: 20 sends (the server coalesces on the same tick); never the 15/s of two unaligned timers.
    expect(arrived).toBeGreaterThanOrEqual(16);
    expect(arrived).toBeLessThanOrEqual(22);

    await mine.updatePresence({ state: { tool: 'pen' }, status: 'idle' });
    await eventually(
      () => theirs.others[0]?.status === 'idle' && JSON.stringify(theirs.others[0]?.state) === '{"tool":"pen"}',
    );
    // Sent at the same moment (two tabs do this), neither change overwrites the other on the server.
    await Promise.all([
      mine.setStatus('away'),
      clients[0]!.request('presence-state', { designSystemId: ds.id, state: { tool: 'eraser' } }),
    ]);
    await eventually(
      () => theirs.others[0]?.status === 'away' && JSON.stringify(theirs.others[0]?.state) === '{"tool":"eraser"}',
    );
  });
});
