// Hostile nesting never reaches recursive code: a frame of thousands of nested arrays or objects on
// any event is answered `validation_failed` and the server carries on; deep REST bodies and token
// files are 400/422, never a 500.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { HANDLERS } from '../../src/websocket/hub.ts';
import { buildComponent, buildCrew, buildDesignSystem } from '../support/factories.ts';
import { rawConnect } from '../support/raw-socketio.ts';
import { startTestServer, type TestServer } from '../support/server.ts';

let server: TestServer;
let crew: Awaited<ReturnType<typeof buildCrew>>;
let ds: { id: string };
beforeAll(async () => {
  server = await startTestServer({ SOCKET_ABUSE_DISCONNECT_AFTER: '100000', SOCKET_RATE_LIMIT_PER_SECOND: '100000' });
  crew = await buildCrew(server);
  ds = await buildDesignSystem(server, crew.team, crew.editor);
});
afterAll(() => server.close());

const arrays = (depth: number) => '['.repeat(depth) + ']'.repeat(depth);
const objects = (depth: number) => `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;

describe('nested socket payloads', () => {
  it.each([8_000, 12_000, 20_000])(
    'refuses %i levels on every event with validation_failed, ack by ack',
    async (depth) => {
      const raw = await rawConnect(server.url, crew.editor.accessToken);
      try {
        let id = 0;
        for (const event of Object.keys(HANDLERS)) {
          for (const nested of [arrays(depth), objects(depth), `{"docName":"x","update":${arrays(depth)}}`]) {
            const ackId = id++;
            raw.send(`42${ackId}["${event}",${nested}]`);
            const ack = JSON.parse((await raw.next(`43${ackId}[`)).slice(`43${ackId}`.length)) as [
              { ok: boolean; error: { code: string } },
            ];
            expect({ event, ack: ack[0] }).toEqual({
              event,
              ack: { ok: false, error: expect.objectContaining({ code: 'validation_failed' }) },
            });
          }
        }
        expect((await fetch(`${server.url}/health`)).status).toBe(200);
      } finally {
        raw.close();
      }
    },
  );

  it('survives a deeply nested binary event (attachment placeholder at the bottom)', async () => {
    const raw = await rawConnect(server.url, crew.editor.accessToken);
    try {
      const deep = `${'['.repeat(20_000)}{"_placeholder":true,"num":0}${']'.repeat(20_000)}`;
      raw.send(`451-7["doc-update",${deep}]`);
      raw.ws.send(Buffer.from([1, 2, 3]));
      // socket.io-parser may refuse the packet and close; either way the process and others carry on.
      const outcome = await Promise.race([
        raw.next('437[').then((f) => f.slice(4)),
        raw.closed.then((code) => `closed ${code}`),
      ]).catch(String);
      expect(outcome).toMatch(/validation_failed|closed/);
      expect((await fetch(`${server.url}/health`)).status).toBe(200);
      const other = await rawConnect(server.url, crew.editor.accessToken);
      other.send(`420["join-design-system",{"designSystemId":"${ds.id}"}]`);
      expect(await other.next('430[')).toContain('"ok":true');
      other.close();
    } finally {
      raw.close();
    }
  });
});

describe('nested REST bodies', () => {
  const deepJson = (depth: number) => JSON.parse(objects(depth)) as unknown;

  it('answers 400 validation_failed for a 10,000-level component props body', async () => {
    const c = await buildComponent(server, ds.id, crew.editor);
    const res = await server.api
      .as(crew.editor)
      .put(`/api/design-systems/${ds.id}/components/${c.id}`)
      .set('Content-Type', 'application/json')
      .send(`{"props":{"deep":${objects(10_000)}}}`);
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('validation_failed');
    expect(res.body.error.details[0]).toMatchObject({ path: 'body', code: 'too_deep' });
    // Depth within the limit still works.
    const ok = await server.api
      .as(crew.editor)
      .put(`/api/design-systems/${ds.id}/components/${c.id}`, { props: { shallow: deepJson(20) } });
    expect(ok.status).toBe(200);
  });

  it('refuses a 10,000-level token file with a problem naming it, over JSON and multipart', async () => {
    const content = `{"color":${objects(10_000)}}`;
    const json = await server.api
      .as(crew.editor)
      .post(`/api/design-systems/${ds.id}/tokens/import`, { files: [{ path: 'deep.json', content }] });
    expect(json.status).toBe(422);
    expect(json.body.error.details).toEqual(
      expect.arrayContaining([expect.objectContaining({ code: 'too_deep', file: 'deep.json' })]),
    );
    const multipart = await server.api
      .as(crew.editor)
      .post(`/api/design-systems/${ds.id}/tokens/import`)
      .attach('files', Buffer.from(content), 'deep.json');
    expect(multipart.status).toBe(422);
    expect(multipart.body.error.details[0].code).toBe('too_deep');
  });
});
