// The server's own pages: the landing page, the demo (its HTML, bundle and stylesheet, their
// caching, the 503 when it is not built), /docs/realtime rendered safely, the link from /docs, and
// the demo's Socket.IO connection from the server's own origin with no CORS_ORIGINS set.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import express from 'express';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import supertest from 'supertest';
import { renderMarkdown } from '../../../src/api/web/realtime-docs.router.ts';
import { webRouter } from '../../../src/api/web/web.router.ts';
import { buildUser } from '../../support/factories.ts';
import { connect } from '../../support/realtime.ts';
import { startTestServer, type TestServer } from '../../support/server.ts';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ REDIS_URL: '' });
});
afterAll(() => server.close());

const get = (path: string) => supertest(server.url).get(path);

describe('GET /', () => {
  it('is an HTML page linking the demo, the docs, the realtime protocol and health, with no script', async () => {
    const res = await get('/').expect(200);
    expect(res.type).toBe('text/html');
    for (const href of ['/demo', '/docs', '/docs/realtime', '/health']) expect(res.text).toContain(`href="${href}"`);
    expect(res.text).not.toMatch(/<script/i);
  });
});

describe('GET /demo', () => {
  it('serves the page and its bundle and stylesheet with the right types', async () => {
    // Built by `npm ci` (postinstall) or `npm run demo:build`: a missing build is a failure, not a skip.
    expect(existsSync(join(process.cwd(), 'demo/dist/index.html'))).toBe(true);
    const page = await get('/demo').expect(200);
    expect(page.type).toBe('text/html');
    expect(page.headers['cache-control']).toBe('no-cache');
    expect(page.text).not.toMatch(/<script>|<script [^>]*>[^<]/); // no inline script: helmet's CSP holds
    const js = page.text.match(/src="(\/demo\/app\.js\?v=\w+)"/)?.[1];
    const css = page.text.match(/href="(\/demo\/app\.css\?v=\w+)"/)?.[1];
    expect(js && css).toBeTruthy();
    const script = await get(js as string).expect(200);
    expect(script.headers['content-type']).toMatch(/^(text|application)\/javascript/);
    expect(script.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(script.text.split('Yjs was already imported').length - 1).toBe(1); // one Yjs in the bundle
    const style = await get(css as string).expect(200);
    expect(style.headers['content-type']).toMatch(/^text\/css/);
    expect(style.text).toContain('.cm-editor');
    await get('/demo/app.js.map').expect(200);
    expect((await get('/demo/app.js')).headers['cache-control']).toBe('no-cache');
  });

  it('keeps helmet’s CSP: scripts only from this origin', async () => {
    const res = await get('/demo');
    expect(res.headers['content-security-policy']).toContain("script-src 'self'");
  });

  it('answers 503 with how to build it when demo/dist is missing', async () => {
    const app = express().use(webRouter(join(mkdtempSync(join(tmpdir(), 'no-demo-')), 'dist')));
    const res = await supertest(app).get('/demo').expect(503);
    expect(res.type).toBe('text/html');
    expect(res.text).toContain('npm run demo:build');
  });

  it('answers a missing file of the demo with 404', async () => {
    await get('/demo/nothing.js').expect(404);
  });
});

describe('GET /docs/realtime', () => {
  it('renders docs/realtime.md with its headings and no script', async () => {
    const res = await get('/docs/realtime').expect(200);
    expect(res.type).toBe('text/html');
    expect(res.text).toMatch(/<h1 id="[^"]+">/);
    expect(res.text).toContain('<h2 id="refused-updates">Refused updates</h2>');
    expect(res.text).toContain('<table>');
    expect(res.text).not.toMatch(/<script/i);
  });

  it('sanitises what the Markdown could carry', () => {
    const html = renderMarkdown(
      '# T\n\n<script>alert(1)</script>\n\n[x](javascript:alert(1)) <img src=x onerror=alert(1)>',
    );
    expect(html).toContain('<h1 id="t">T</h1>');
    expect(html).not.toMatch(/<script|javascript:|onerror/i);
  });

  it('is linked from the Swagger page', async () => {
    const res = await get('/docs').expect(200);
    expect(res.text).toContain('href="/docs/realtime"');
  });
});

describe('the demo’s connection', () => {
  it('may open Socket.IO from the server’s own origin without CORS_ORIGINS, not from another', async () => {
    const user = await buildUser(server);
    const socket = await connect(server, user, { origin: server.url });
    expect(socket.connected).toBe(true);
    socket.close();
    await expect(connect(server, user, { origin: 'http://evil.example' })).rejects.toMatchObject({
      data: { code: 'forbidden' },
    });
  });
});
