import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import supertest from 'supertest';
import { buildCrew, buildDesignSystem } from '../../../support/factories.ts';
import { expectError, expectHidden } from '../../../support/expect-error.ts';
import { startTestServer, type TestServer } from '../../../support/server.ts';
import { startS3StandIn, type S3StandIn } from '../../../support/standins/s3.ts';

const PNG = Buffer.concat([
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  Buffer.from('IHDR fake but typed png body'),
]);
const SVG = Buffer.from(
  '<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 1 1"><script>alert(1)</script></svg>',
);

// The same API over both stores: the filesystem default and S3 (a real S3-compatible server).
describe.each(['filesystem', 's3'] as const)('assets on %s storage', (storage) => {
  let s3: S3StandIn | undefined;
  let server: TestServer;
  let crew: Awaited<ReturnType<typeof buildCrew>>;
  let path: string;

  beforeAll(async () => {
    if (storage === 's3') s3 = await startS3StandIn();
    server = await startTestServer({
      ASSET_MAX_BYTES: '4096',
      ...(s3
        ? {
            S3_ENDPOINT: `http://127.0.0.1:${s3.port}`,
            S3_ACCESS_KEY: s3.accessKey,
            S3_SECRET_KEY: s3.secretKey,
            S3_BUCKET: 'ensemble-test',
          }
        : {}),
    });
    crew = await buildCrew(server);
    const ds = await buildDesignSystem(server, crew.team, crew.editor);
    path = `/api/design-systems/${ds.id}/assets`;
  });
  afterAll(async () => {
    await server.close();
    await s3?.close();
  });

  const upload = (who: { accessToken: string } | null, file: Buffer, name = 'icon.png') => {
    const req = supertest(server.url).post(path);
    if (who) req.set('Authorization', `Bearer ${who.accessToken}`);
    return req.attach('file', file, name);
  };

  it('checks authentication, team and role', async () => {
    expectError(await upload(null, PNG), 401, 'unauthenticated');
    expectHidden(await upload(crew.outsider, PNG));
    expectError(await upload(crew.viewer, PNG), 403, 'forbidden');
  });

  it('uploads, lists and downloads the exact bytes with the sniffed type', async () => {
    expect(server.mode.storage).toBe(storage);
    const res = await upload(crew.editor, PNG, '../../etc/evil name.png');
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ filename: 'evil name.png', contentType: 'image/png', size: PNG.length });
    const list = await server.api.as(crew.viewer).get(path);
    expect(list.body.items.map((a: { id: string }) => a.id)).toContain(res.body.id);
    const download = await supertest(server.url)
      .get(`${path}/${res.body.id}/content`)
      .set('Authorization', `Bearer ${crew.viewer.accessToken}`)
      .buffer(true)
      .parse((r, cb) => {
        const chunks: Buffer[] = [];
        r.on('data', (c: Buffer) => chunks.push(c));
        r.on('end', () => cb(null, Buffer.concat(chunks)));
      });
    expect(download.status).toBe(200);
    expect(download.headers['content-type']).toBe('image/png');
    expect(Buffer.compare(download.body as Buffer, PNG)).toBe(0);
    expectHidden(
      await supertest(server.url)
        .get(`${path}/${res.body.id}/content`)
        .set('Authorization', `Bearer ${crew.outsider.accessToken}`),
    );
    const row = await server.db.asset.findUniqueOrThrow({ where: { id: res.body.id } });
    expect(row.key.startsWith(`teams/${crew.team.id}/`)).toBe(true);
  });

  it('serves SVG icons sandboxed', async () => {
    const res = await upload(crew.editor, SVG, 'logo.svg');
    expect(res.body.contentType).toBe('image/svg+xml');
    const download = await supertest(server.url)
      .get(`${path}/${res.body.id}/content`)
      .set('Authorization', `Bearer ${crew.viewer.accessToken}`);
    expect(download.headers['content-security-policy']).toContain('sandbox');
  });

  it('refuses files that are not images, icons or fonts, whatever they claim', async () => {
    expectError(
      await upload(crew.editor, Buffer.from('MZ\x90\x00 not really a png'), 'icon.png'),
      415,
      'unsupported_media_type',
    );
  });

  it('refuses files over the size limit and a missing file', async () => {
    expectError(await upload(crew.editor, Buffer.concat([PNG, Buffer.alloc(5000)])), 413, 'payload_too_large');
    expectError(
      await supertest(server.url).post(path).set('Authorization', `Bearer ${crew.editor.accessToken}`).field('x', 'y'),
      400,
      'validation_failed',
    );
  });

  it('deletes for editors', async () => {
    const res = await upload(crew.editor, PNG);
    expectError(await server.api.as(crew.viewer).delete(`${path}/${res.body.id}`), 403, 'forbidden');
    expect((await server.api.as(crew.editor).delete(`${path}/${res.body.id}`)).status).toBe(204);
    expectHidden(await server.api.as(crew.editor).get(`${path}/${res.body.id}`));
  });
});
