// Uploads are authorised before they are read: another team's member sending a large multipart
// body gets 404 while almost none of it has been sent, and an oversize upload is refused by its
// declared length.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { request } from 'node:http';
import { buildCrew, buildDesignSystem, buildTeam, buildUser } from '../support/factories.ts';
import { startTestServer, type TestServer } from '../support/server.ts';

let server: TestServer;
let crew: Awaited<ReturnType<typeof buildCrew>>;
let dsId: string;
let outsiderToken: string;

beforeAll(async () => {
  server = await startTestServer();
  crew = await buildCrew(server);
  dsId = (await buildDesignSystem(server, crew.team, crew.editor)).id;
  const outsider = await buildUser(server);
  await buildTeam(server, outsider);
  outsiderToken = outsider.accessToken;
});
afterAll(() => server.close());

/** Starts a multipart upload declaring `declared` bytes, sends only the first 64 KiB, and resolves with the status (and bytes sent by then). */
function partialUpload(path: string, token: string, declared: number): Promise<{ status: number; sent: number }> {
  const { hostname, port } = new URL(server.url);
  return new Promise((resolve, reject) => {
    const req = request({
      hostname,
      port,
      path,
      method: 'POST',
      headers: {
        authorization: `Bearer ${token}`,
        'content-type': 'multipart/form-data; boundary=XyZ',
        'content-length': declared,
      },
    });
    let sent = 0;
    req.on('response', (res) => {
      res.resume();
      resolve({ status: res.statusCode ?? 0, sent });
      req.destroy();
    });
    req.on('error', (err) => (sent > 0 ? undefined : reject(err)));
    const chunk = Buffer.alloc(64 * 1024, 'a');
    req.write(
      `--XyZ\r\nContent-Disposition: form-data; name="files"; filename="t.json"\r\nContent-Type: application/json\r\n\r\n`,
    );
    req.write(chunk);
    sent = chunk.length;
    // Never finish: a server that waits for the whole body never answers.
    setTimeout(() => resolve({ status: -1, sent }), 3000).unref();
  });
}

describe('uploads', () => {
  it("another team's member is refused (404) before the body is read, on both upload routes", async () => {
    for (const path of [`/api/design-systems/${dsId}/tokens/import`, `/api/design-systems/${dsId}/assets`]) {
      expect(await partialUpload(path, outsiderToken, 30 * 1024 * 1024)).toEqual({ status: 404, sent: 64 * 1024 });
    }
    // A viewer of the team is refused too (403), also before reading.
    expect(
      (await partialUpload(`/api/design-systems/${dsId}/tokens/import`, crew.viewer.accessToken, 30 * 1024 * 1024))
        .status,
    ).toBe(403);
  });

  it('an upload declaring more than the limit is refused by its length (413), before it is read', async () => {
    const limit = server.config.TOKEN_IMPORT_MAX_BYTES;
    expect(
      await partialUpload(`/api/design-systems/${dsId}/tokens/import`, crew.editor.accessToken, limit + 1),
    ).toEqual({ status: 413, sent: 64 * 1024 });
  });
});
