// Signed asset URLs: an asset a member may read gets a URL that works without Authorization, from
// any origin (CORP cross-origin), with the content route's SVG sandbox and ETag, until it expires or
// the asset is deleted. Ends with a real <img> on a page of a second origin in Chromium.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { deflateSync } from 'node:zlib';
import supertest from 'supertest';
import { launchChromium } from '../../../e2e/support/browser.ts';
import { buildCrew, buildDesignSystem } from '../../../support/factories.ts';
import { expectError, expectHidden } from '../../../support/expect-error.ts';
import { startTestServer, type TestServer } from '../../../support/server.ts';

/** A real, decodable 1×1 PNG (a browser must be able to draw it). */
function png(): Buffer {
  const crcTable = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  const crc = (buf: Buffer) => {
    let c = 0xffffffff;
    for (const b of buf) c = (crcTable[(c ^ b) & 0xff] as number) ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
  };
  const chunk = (type: string, data: Buffer) => {
    const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const out = Buffer.alloc(body.length + 8);
    out.writeUInt32BE(data.length, 0);
    body.copy(out, 4);
    out.writeUInt32BE(crc(body), body.length + 4);
    return out;
  };
  const ihdr = Buffer.from([0, 0, 0, 1, 0, 0, 0, 1, 8, 6, 0, 0, 0]);
  const pixel = deflateSync(Buffer.from([0, 0x33, 0x66, 0x99, 0xff]));
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', pixel),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}
const PNG = png();
const SVG = Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 1 1"><script>alert(1)</script></svg>');

let server: TestServer;
let crew: Awaited<ReturnType<typeof buildCrew>>;
let path: string;

beforeAll(async () => {
  server = await startTestServer({ PUBLIC_URL: 'https://ensemble.example.test/' });
  crew = await buildCrew(server);
  const ds = await buildDesignSystem(server, crew.team, crew.editor);
  path = `/api/design-systems/${ds.id}/assets`;
});
afterAll(() => server.close());

const upload = async (file: Buffer, name: string): Promise<{ id: string; checksum: string }> => {
  const res = await supertest(server.url)
    .post(path)
    .set('Authorization', `Bearer ${crew.editor.accessToken}`)
    .attach('file', file, name);
  expect(res.status).toBe(201);
  return res.body;
};
/** The path and query of a signed URL, to request it from the test server (PUBLIC_URL is elsewhere). */
const local = (url: string) => {
  const u = new URL(url);
  return `${u.pathname}${u.search}`;
};
const bytes = (test: supertest.Test) =>
  test.buffer(true).parse((r, cb) => {
    const chunks: Buffer[] = [];
    r.on('data', (c: Buffer) => chunks.push(c));
    r.on('end', () => cb(null, Buffer.concat(chunks)));
  });

describe('GET …/assets/:assetId/signed-url', () => {
  it('should require authentication and read access', async () => {
    const asset = await upload(PNG, 'icon.png');
    expectError(await server.api.as(null).get(`${path}/${asset.id}/signed-url`), 401, 'unauthenticated');
    expectHidden(await server.api.as(crew.outsider).get(`${path}/${asset.id}/signed-url`));
    expectHidden(await server.api.as(crew.viewer).get(`${path}/00000000-0000-4000-8000-000000000000/signed-url`));
  });

  it('gives a viewer an absolute URL under PUBLIC_URL that expires when asked', async () => {
    const asset = await upload(PNG, 'icon.png');
    const before = Date.now();
    const res = await server.api.as(crew.viewer).get(`${path}/${asset.id}/signed-url?expiresIn=120`);
    expect(res.status).toBe(200);
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.body.url.startsWith(`https://ensemble.example.test${path}/${asset.id}/signed?expires=`)).toBe(true);
    const expiresAt = Date.parse(res.body.expiresAt);
    expect(expiresAt).toBeGreaterThanOrEqual(Math.floor(before / 1000) * 1000 + 120_000);
    expect(expiresAt).toBeLessThanOrEqual(Date.now() + 120_000);
    expect(Number(new URL(res.body.url).searchParams.get('expires')) * 1000).toBe(expiresAt);
    const fallback = await server.api.as(crew.viewer).get(`${path}/${asset.id}/signed-url`);
    expect(Date.parse(fallback.body.expiresAt) - Date.now()).toBeGreaterThan(890_000);
    expectError(
      await server.api.as(crew.viewer).get(`${path}/${asset.id}/signed-url?expiresIn=999999`),
      400,
      'validation_failed',
    );
  });
});

describe('GET …/assets/:assetId/signed', () => {
  it('serves the exact bytes without Authorization, embeddable cross-origin, with the checksum ETag', async () => {
    const asset = await upload(PNG, 'icon.png');
    const { body } = await server.api.as(crew.viewer).get(`${path}/${asset.id}/signed-url`);
    const res = await bytes(supertest(server.url).get(local(body.url)).set('Origin', 'https://elsewhere.example'));
    expect(res.status).toBe(200);
    expect(Buffer.compare(res.body as Buffer, PNG)).toBe(0);
    expect(res.headers).toMatchObject({
      'content-type': 'image/png',
      'cross-origin-resource-policy': 'cross-origin',
      'access-control-allow-origin': '*',
      etag: `"${asset.checksum}"`,
    });
    // The authenticated route still keeps its bytes to our origin.
    const authed = await supertest(server.url)
      .get(`${path}/${asset.id}/content`)
      .set('Authorization', `Bearer ${crew.viewer.accessToken}`);
    expect(authed.headers['cross-origin-resource-policy']).toBe('same-origin');
  });

  it('keeps SVGs sandboxed', async () => {
    const asset = await upload(SVG, 'logo.svg');
    const { body } = await server.api.as(crew.viewer).get(`${path}/${asset.id}/signed-url`);
    const res = await supertest(server.url).get(local(body.url));
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('image/svg+xml');
    expect(res.headers['content-security-policy']).toBe("default-src 'none'; style-src 'unsafe-inline'; sandbox");
    expect(res.headers['x-content-type-options']).toBe('nosniff');
  });

  it('stops working once the asset is deleted', async () => {
    const asset = await upload(PNG, 'gone.png');
    const { body } = await server.api.as(crew.viewer).get(`${path}/${asset.id}/signed-url`);
    expect((await supertest(server.url).get(local(body.url))).status).toBe(200);
    expect((await server.api.as(crew.editor).delete(`${path}/${asset.id}`)).status).toBe(204);
    expectHidden(await supertest(server.url).get(local(body.url)));
  });

  it('refuses a URL without its signature or expiry', async () => {
    const asset = await upload(PNG, 'icon.png');
    expectError(await supertest(server.url).get(`${path}/${asset.id}/signed`), 400, 'validation_failed');
    expectError(
      await supertest(server.url).get(`${path}/${asset.id}/signed?expires=9999999999`),
      400,
      'validation_failed',
    );
  });
});

describe('in a browser on another origin', () => {
  let site: Server;
  beforeAll(async () => {
    site = createServer((req, res) => {
      const src = new URL(req.url ?? '/', 'http://x').searchParams.get('src') ?? '';
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end(`<!doctype html><img id="a" src="${src.replace(/"/g, '&quot;')}">`);
    });
    await new Promise<void>((ok) => site.listen(0, '127.0.0.1', ok));
  });
  afterAll(() => new Promise<void>((ok) => site.close(() => ok())));

  it('an <img> loads the signed URL; the token-only content URL stays blocked', async () => {
    const asset = await upload(PNG, 'icon.png');
    const { body } = await server.api.as(crew.viewer).get(`${path}/${asset.id}/signed-url`);
    const signedSrc = `${server.url}${local(body.url)}`;
    const siteUrl = (src: string) =>
      `http://localhost:${(site.address() as AddressInfo).port}/?src=${encodeURIComponent(src)}`;
    const browser = await launchChromium();
    try {
      const page = await browser.newPage();
      const loaded = (src: string) =>
        page.goto(siteUrl(src)).then(() =>
          page.evaluate(async () => {
            const img = document.getElementById('a') as HTMLImageElement;
            await img.decode().catch(() => undefined);
            return img.naturalWidth;
          }),
        );
      expect(await loaded(signedSrc)).toBe(1);
      expect(await loaded(`${server.url}${path}/${asset.id}/content`)).toBe(0);
    } finally {
      await browser.close();
    }
  }, 60_000);
});
