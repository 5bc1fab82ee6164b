import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { checkOutboundUrl, guardedFetch, isBlockedAddress } from '../../../src/utils/net-guard.ts';

describe('isBlockedAddress', () => {
  it.each(['127.0.0.1', '10.1.2.3', '172.20.0.1', '192.168.1.1', '169.254.169.254', '100.64.0.1', '0.0.0.0', '::1', 'fe80::1', 'fd00::1', '::ffff:127.0.0.1', '::ffff:10.0.0.1'])(
    'blocks %s',
    (address) => expect(isBlockedAddress(address)).toBe(true),
  );
  it.each(['8.8.8.8', '140.82.112.3', '2606:4700::1111'])('allows %s', (address) => expect(isBlockedAddress(address)).toBe(false));
});

describe('checkOutboundUrl', () => {
  const none = { allowHosts: [] };
  it.each(['http://127.0.0.1/x', 'http://169.254.169.254/latest/meta-data', 'http://[::1]:8080/', 'http://10.0.0.7/', 'http://localhost/', 'file:///etc/passwd', 'http://user:pw@example.com/', 'gopher://example.com'])(
    'refuses %s',
    async (url) => {
      await expect(checkOutboundUrl(url, none)).rejects.toMatchObject({ code: 'validation_failed' });
    },
  );
  it('allows an explicitly allowlisted local host', async () => {
    await expect(checkOutboundUrl('http://127.0.0.1:9/x', { allowHosts: ['127.0.0.1'] })).resolves.toMatchObject({ address: '127.0.0.1' });
  });
});

describe('guardedFetch', () => {
  let server: Server;
  let base: string;
  beforeAll(async () => {
    server = createServer((req, res) => {
      if (req.url === '/big') return res.end('x'.repeat(10_000));
      if (req.url === '/redirect') {
        res.writeHead(302, { Location: 'http://169.254.169.254/' });
        return res.end();
      }
      if (req.url === '/slow') return void setTimeout(() => res.end('late'), 2000).unref();
      res.end('{"ok":true}');
    });
    await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise<void>((ok) => server.close(() => ok()));
  });
  const policy = { allowHosts: ['127.0.0.1'] };

  it('fetches from an allowed host', async () => {
    const res = await guardedFetch(`${base}/ok`, policy, { timeoutMs: 1000, maxBytes: 1000 });
    expect(res.status).toBe(200);
    expect(res.body.toString()).toBe('{"ok":true}');
  });
  it('caps the body size', async () => {
    await expect(guardedFetch(`${base}/big`, policy, { timeoutMs: 1000, maxBytes: 1000 })).rejects.toMatchObject({ code: 'payload_too_large' });
  });
  it('does not follow redirects', async () => {
    const res = await guardedFetch(`${base}/redirect`, policy, { timeoutMs: 1000, maxBytes: 1000 });
    expect(res.status).toBe(302);
  });
  it('times out', async () => {
    await expect(guardedFetch(`${base}/slow`, policy, { timeoutMs: 200, maxBytes: 1000 })).rejects.toMatchObject({ code: 'unprocessable' });
  });
  it('refuses the same local server without the allowlist', async () => {
    await expect(guardedFetch(`${base}/ok`, { allowHosts: [] }, { timeoutMs: 1000, maxBytes: 1000 })).rejects.toMatchObject({ code: 'validation_failed' });
  });
});
