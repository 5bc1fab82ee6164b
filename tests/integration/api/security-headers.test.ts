// HSTS and upgrade-insecure-requests are sent only when PUBLIC_URL is https: over plain http they
// blanked /docs in Safari on localhost and on http://<host-ip>:3000.
import { afterAll, describe, expect, it } from '@jest/globals';
import { startTestServer, type TestServer } from '../../support/server.ts';

const servers: TestServer[] = [];
afterAll(async () => {
  for (const s of servers) await s.close();
});

async function headersOf(publicUrl?: string): Promise<Headers> {
  const server = await startTestServer({ REDIS_URL: '', ...(publicUrl ? { PUBLIC_URL: publicUrl } : {}) });
  servers.push(server);
  const res = await fetch(`${server.url}/docs/`);
  await res.arrayBuffer();
  return res.headers;
}

describe('security headers', () => {
  it('leave https-only headers out over plain http', async () => {
    const headers = await headersOf();
    expect(headers.get('strict-transport-security')).toBeNull();
    expect(headers.get('content-security-policy')).not.toContain('upgrade-insecure-requests');
    expect(headers.get('x-content-type-options')).toBe('nosniff'); // the rest of helmet stays
  });

  it('send them when the public URL is https', async () => {
    const headers = await headersOf('https://ensemble.example.com');
    expect(headers.get('strict-transport-security')).toMatch(/max-age=\d+/);
    expect(headers.get('content-security-policy')).toContain('upgrade-insecure-requests');
  });
});
