// Forging signed asset URLs: every change to a signed URL (signature, expiry, asset, design system),
// a signature made under another secret, and an expired one are refused with their precise codes,
// and nothing of the asset is sent.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import supertest from 'supertest';
import { AssetUrlSigner } from '../../src/services/assets/asset-urls.ts';
import { buildCrew, buildDesignSystem } from '../support/factories.ts';
import { expectError, expectHidden } from '../support/expect-error.ts';
import { startTestServer, type TestServer } from '../support/server.ts';

const PNG = Buffer.concat([
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  Buffer.from('IHDR typed png body'),
]);

let server: TestServer;
let crew: Awaited<ReturnType<typeof buildCrew>>;
let dsId: string;
let otherDsId: string;
let asset: string;
let other: string;
let url: URL;

const upload = async (ds: string) => {
  const res = await supertest(server.url)
    .post(`/api/design-systems/${ds}/assets`)
    .set('Authorization', `Bearer ${crew.editor.accessToken}`)
    .attach('file', PNG, 'icon.png');
  expect(res.status).toBe(201);
  return res.body.id as string;
};
const signed = (ds: string, id: string, expires: string, signature: string) =>
  supertest(server.url).get(
    `/api/design-systems/${ds}/assets/${id}/signed?${new URLSearchParams({ expires, signature })}`,
  );
const parts = () => ({
  expires: url.searchParams.get('expires') as string,
  signature: url.searchParams.get('signature') as string,
});

beforeAll(async () => {
  server = await startTestServer();
  crew = await buildCrew(server);
  dsId = (await buildDesignSystem(server, crew.team, crew.editor)).id;
  otherDsId = (await buildDesignSystem(server, crew.team, crew.editor)).id;
  asset = await upload(dsId);
  other = await upload(dsId);
  const res = await server.api.as(crew.viewer).get(`/api/design-systems/${dsId}/assets/${asset}/signed-url`);
  url = new URL(res.body.url);
});
afterAll(() => server.close());

describe('signed asset URLs', () => {
  it('work untouched (the baseline the forgeries below change)', async () => {
    const { expires, signature } = parts();
    expect((await signed(dsId, asset, expires, signature)).status).toBe(200);
  });

  it('refuse a tampered signature', async () => {
    const { expires, signature } = parts();
    const flipped = `${signature.slice(0, 10)}${signature[10] === 'A' ? 'B' : 'A'}${signature.slice(11)}`;
    for (const forged of [flipped, signature.slice(0, -1), `${signature}A`, 'x', signature.toUpperCase()]) {
      const res = await signed(dsId, asset, expires, forged);
      expectError(res, 403, 'invalid_signature');
      expect(res.headers['content-type']).toMatch(/json/);
    }
  });

  it('refuse an extended expiry as a forgery, not as expired', async () => {
    const { expires, signature } = parts();
    expectError(await signed(dsId, asset, String(Number(expires) + 86_400), signature), 403, 'invalid_signature');
  });

  it("refuse another asset's or another design system's path with this signature", async () => {
    const { expires, signature } = parts();
    expectError(await signed(dsId, other, expires, signature), 403, 'invalid_signature');
    expectError(await signed(otherDsId, asset, expires, signature), 403, 'invalid_signature');
  });

  it('refuse a signature made under another server secret', async () => {
    const expires = Math.floor(Date.now() / 1000) + 600;
    const foreign = new AssetUrlSigner(randomBytes(32).toString('hex')).sign({ dsId, assetId: asset }, expires);
    expectError(await signed(dsId, asset, String(expires), foreign), 403, 'invalid_signature');
  });

  it('refuse an expired URL with signed_url_expired', async () => {
    // Signed with the server's own secret, so only the expiry is wrong.
    const ours = new AssetUrlSigner(server.config.JWT_SECRET as string);
    const past = Math.floor(Date.now() / 1000) - 1;
    expectError(
      await signed(dsId, asset, String(past), ours.sign({ dsId, assetId: asset }, past)),
      403,
      'signed_url_expired',
    );
    const future = Math.floor(Date.now() / 1000) + 60;
    expect((await signed(dsId, asset, String(future), ours.sign({ dsId, assetId: asset }, future))).status).toBe(200);
  });

  it('cannot be obtained for another team’s asset', async () => {
    expectHidden(await server.api.as(crew.outsider).get(`/api/design-systems/${dsId}/assets/${asset}/signed-url`));
  });
});
