// The start-up line a newcomer reads: the address the server really listens on, and a URL to open.
import { afterAll, describe, expect, it } from '@jest/globals';
import { freePort, reap, spawnServer, waitReady, type ServerProcess } from '../../support/process.ts';
import { testEnv } from '../../support/server.ts';

let server: ServerProcess | undefined;
afterAll(() => reap(server));

describe('the start-up line', () => {
  it('says 0.0.0.0 when listening on every interface, and gives a loopback URL that answers', async () => {
    const port = await freePort();
    server = spawnServer(await testEnv({ HOST: '0.0.0.0', PORT: String(port), LOG_LEVEL: 'info' }), 'web');
    await waitReady(server);
    expect(server.output()).toContain(`listening on 0.0.0.0:${port}: open http://127.0.0.1:${port}`);
    expect(server.output()).not.toContain(`listening on http://127.0.0.1:${port}`);
    expect((await fetch(`http://127.0.0.1:${port}/health`)).status).toBe(200);
    server.child.kill('SIGTERM');
    await server.exited;
  });
});
