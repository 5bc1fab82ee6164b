// An upgrade to a path nothing serves is answered at once (400) and closed, never left hanging.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { connect } from 'node:net';
import { startTestServer, type TestServer } from '../support/server.ts';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());

/** Sends a raw upgrade request and resolves with the status line, or 'timeout' after 2 s. */
function upgrade(path: string): Promise<string> {
  const { port } = new URL(server.url);
  return new Promise((resolve) => {
    const socket = connect(Number(port), '127.0.0.1', () => {
      socket.write(
        `GET ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n`,
      );
    });
    const timer = setTimeout(() => {
      socket.destroy();
      resolve('timeout');
    }, 2000);
    let data = '';
    socket.on('data', (chunk) => {
      data += chunk.toString();
      if (data.includes('\r\n')) {
        clearTimeout(timer);
        socket.destroy();
        resolve(data.split('\r\n')[0] as string);
      }
    });
    socket.on('error', () => undefined);
  });
}

describe('upgrades', () => {
  it('answers 400 for every path nothing serves, and leaves the real endpoints alone', async () => {
    const paths = ['/', '/api/teams', '/yjs', '/socket.io', '/ws', '/anything?x=1', '/%2e%2e/yjs/'];
    const answers = await Promise.all(paths.map(upgrade));
    expect(answers).toEqual(paths.map(() => 'HTTP/1.1 400 Bad Request'));
    // The real endpoints still answer for themselves (a refusal of the missing token, not a hang).
    expect(await upgrade('/yjs/component:00000000-0000-4000-8000-000000000000')).toMatch(/^HTTP\/1\.1 401/);
    expect(await upgrade('/socket.io/?EIO=4&transport=websocket')).toMatch(/^HTTP\/1\.1 101/);
  });
});
