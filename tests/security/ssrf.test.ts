// SSRF through the team npm registry: hostile registry URLs are refused when saved, and publishing
// neither follows a registry's redirect (nor hands it the token) nor copies a registry's body into
// the job, which every viewer can read.
import { createServer, type IncomingHttpHeaders, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { expectInvalidField } from '../support/expect-error.ts';
import { buildCrew, buildDesignSystem } from '../support/factories.ts';
import { eventually } from '../support/realtime.ts';
import { startTestServer, type TestServer } from '../support/server.ts';

interface Seen {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
}

/** A real HTTP server on 127.0.0.1 that records what reaches it and answers with `answer`. */
async function standIn(answer: (res: ServerResponse) => void): Promise<{ url: string; seen: Seen[]; server: Server }> {
  const seen: Seen[] = [];
  const server = createServer((req, res) => {
    seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers });
    req.resume();
    req.on('end', () => answer(res));
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen, server };
}

const TOKEN = 'npm_secret_token_for_ssrf_test';
const hostile = [
  'http://127.0.0.1:4803/',
  'http://169.254.169.254/latest/meta-data/',
  'http://10.0.0.1/',
  'http://[::127.0.0.1]/',
  'http://[::169.254.169.254]/',
  'http://[2002:7f00:1::]/',
  'http://[2002:a9fe:a9fe::]/',
  'http://[64:ff9b:1::a9fe:a9fe]/',
  'http://[::ffff:0:a9fe:a9fe]/',
  'http://[::ffff:127.0.0.1]/',
  'http://[fec0::1]/',
  'http://2130706433/',
  'file:///etc/passwd',
  'gopher://127.0.0.1:6379/_INFO',
  'http://user:pw@registry.example.com/',
];
const tally = { tried: 0, refused: 0 };

let strict: TestServer;
let dev: TestServer;
let target: Awaited<ReturnType<typeof standIn>>;
let redirecting: Awaited<ReturnType<typeof standIn>>;
let failing: Awaited<ReturnType<typeof standIn>>;

beforeAll(async () => {
  // The redirect target is a server the allow list would let through: only not following protects it.
  target = await standIn((res) => res.end('{"ok":true}'));
  redirecting = await standIn((res) => {
    res.writeHead(302, { Location: `${target.url}/steal` });
    res.end('moved');
  });
  failing = await standIn((res) => {
    res.writeHead(500, { 'Content-Type': 'text/plain' });
    res.end('SECRET-BODY from inside the network');
  });
  // No allow list: what production runs. The other one (same database, one after the other) may reach
  // stand-ins on 127.0.0.1.
  strict = await startTestServer();
  dev = await startTestServer({ OUTBOUND_ALLOW_HOSTS: '127.0.0.1' });
}, 60_000);
afterAll(async () => {
  await Promise.all([strict?.close(), dev?.close()]);
  for (const s of [target, redirecting, failing]) {
    s?.server.closeAllConnections();
    await new Promise<void>((ok) => (s ? s.server.close(() => ok()) : ok()));
  }
  console.log(
    `ssrf: ${tally.tried} targets tried, ${tally.refused} refused; redirect target saw ${target?.seen.length ?? '?'} requests`,
  );
});

async function publishTo(registryUrl: string, version: string) {
  const crew = await buildCrew(dev);
  const ds = await buildDesignSystem(dev, crew.team, crew.editor);
  const set = await dev.api
    .as(crew.admin)
    .put(`/api/teams/${crew.team.id}/registry`, { url: registryUrl, token: TOKEN, scope: 'acme' });
  expect(set.status).toBe(200);
  const start = await dev.api.as(crew.admin).post(`/api/design-systems/${ds.id}/publish`, { version });
  expect(start.status).toBe(202);
  let job: { status: string; error: string | null; result: unknown } = { status: '', error: null, result: null };
  await eventually(async () => {
    job = (await dev.api.as(crew.viewer).get(`/api/jobs/${start.body.id}`)).body;
    return ['completed', 'failed'].includes(job.status);
  }, 30_000);
  return { job, crew, ds };
}

describe('the team registry URL', () => {
  it.each(hostile)('refuses %s when saved', async (url) => {
    const crew = await buildCrew(strict);
    tally.tried++;
    const res = await strict.api.as(crew.admin).put(`/api/teams/${crew.team.id}/registry`, { url, token: TOKEN });
    if (res.status === 400) tally.refused++;
    expectInvalidField(res, 'url');
    expect((await strict.api.as(crew.admin).get(`/api/teams/${crew.team.id}/registry`)).body).toMatchObject({
      url: null,
      hasToken: false,
    });
  });

  it('accepts a public registry and clearing it', async () => {
    const crew = await buildCrew(strict);
    const set = await strict.api
      .as(crew.admin)
      .put(`/api/teams/${crew.team.id}/registry`, { url: 'http://93.184.216.34/', token: TOKEN });
    expect(set.body).toEqual({ url: 'http://93.184.216.34/', scope: null, hasToken: true });
    const cleared = await strict.api.as(crew.admin).put(`/api/teams/${crew.team.id}/registry`, { url: null });
    expect(cleared.body).toEqual({ url: null, scope: null, hasToken: false });
  });
});

describe('publishing to a hostile registry', () => {
  it('does not follow a redirect, so the target sees no request and no token', async () => {
    tally.tried++;
    const { job } = await publishTo(redirecting.url, '1.0.0');
    expect(redirecting.seen).toHaveLength(1);
    expect(redirecting.seen[0]?.headers.authorization).toBe(`Bearer ${TOKEN}`);
    expect(target.seen).toEqual([]);
    expect(job.status).toBe('failed');
    expect(job.error).toContain('302');
    expect(job.error).not.toContain(target.url);
    expect(job.error).not.toContain('moved');
    if (target.seen.length === 0 && job.status === 'failed') tally.refused++;
  });

  it('reports a failing registry by status, never by its body', async () => {
    tally.tried++;
    const { job } = await publishTo(failing.url, '1.0.0');
    expect(failing.seen).toHaveLength(1);
    expect(job.status).toBe('failed');
    expect(job.error).toContain('500');
    expect(JSON.stringify(job)).not.toContain('SECRET-BODY');
    if (job.status === 'failed' && !JSON.stringify(job).includes('SECRET-BODY')) tally.refused++;
  });
});
