import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { checkOutboundUrl, guardedFetch, isBlockedAddress } from '../../../src/utils/net-guard.ts';

describe('isBlockedAddress', () => {
  const blockedV4 = [
    '0.0.0.0',
    '10.1.2.3',
    '100.64.0.1',
    '127.0.0.1',
    '127.255.255.254',
    '169.254.169.254',
    '172.20.0.1',
    '192.0.0.1',
    '192.0.2.1',
    '192.88.99.1',
    '192.168.1.1',
    '198.18.0.1',
    '198.51.100.1',
    '203.0.113.1',
    '224.0.0.1',
    '240.0.0.1',
    '255.255.255.255',
  ];
  const blockedV6 = [
    // Unspecified, loopback and the rest of ::/8, including IPv4-compatible ::a.b.c.d in both spellings.
    '::',
    '::1',
    '::127.0.0.1',
    '::7f00:1',
    '::169.254.169.254',
    '::a9fe:a9fe',
    '::10.0.0.1',
    '::8.8.8.8',
    '0:0:0:0:0:0:0:1',
    // IPv4-mapped ::ffff:0:0/96 in every spelling, and SIIT ::ffff:0:0:0/96.
    '::ffff:127.0.0.1',
    '::ffff:7f00:1',
    '::FFFF:127.0.0.1',
    '0:0:0:0:0:ffff:7f00:1',
    '::ffff:10.0.0.1',
    '::ffff:169.254.169.254',
    '::ffff:a9fe:a9fe',
    '::ffff:0:a9fe:a9fe',
    '::ffff:0:169.254.169.254',
    '::ffff:0:7f00:1',
    '::ffff:0:8.8.8.8',
    // 6to4 2002::/16, whatever it embeds.
    '2002:a9fe:a9fe::',
    '2002:7f00:1::',
    '2002:a00:1::1',
    '2002:808:808::1',
    // NAT64 64:ff9b::/96 and the local-use 64:ff9b:1::/48.
    '64:ff9b::a9fe:a9fe',
    '64:ff9b::127.0.0.1',
    '64:ff9b::808:808',
    '64:ff9b:1::a9fe:a9fe',
    '64:ff9b:1:ffff::1',
    // Teredo 2001::/32 and the rest of the IETF protocol block 2001::/23: benchmarking, ORCHID, ORCHIDv2.
    '2001::1',
    '2001:0:4136:e378:8000:63bf:3fff:fdd2',
    '2001:2::1',
    '2001:10::1',
    '2001:20::1',
    '2001:1ff::1',
    // Discard 100::/64, documentation 2001:db8::/32 and 3fff::/20, SRv6 5f00::/16.
    '100::1',
    '100::ffff:ffff:ffff:ffff',
    '2001:db8::1',
    '3fff::1',
    '5f00::1',
    // Site-local, unique local, link-local (with and without a zone), multicast.
    'fec0::1',
    'feff::1',
    'fc00::1',
    'fd12:3456::1',
    'fe80::1',
    'FE80::1',
    'febf::1',
    'fe80::1%eth0',
    'ff02::1',
    'ff05::2',
    'ff0e::1',
  ];
  it.each([...blockedV4, ...blockedV6, 'localhost', '', 'not an address'])('blocks %s', (address) =>
    expect(isBlockedAddress(address)).toBe(true),
  );
  it.each([
    '8.8.8.8',
    '140.82.112.3',
    '93.184.216.34',
    '2606:4700::1111',
    '2606:4700:4700::1001',
    '2a00:1450:4001:80b::200e',
    '2001:4860:4860::8888',
    '::ffff:8.8.8.8',
    '::ffff:5db8:d822',
  ])('allows %s', (address) => expect(isBlockedAddress(address)).toBe(false));
});

describe('checkOutboundUrl', () => {
  const none = { allowHosts: [] };
  it.each([
    'http://127.0.0.1/x',
    'http://169.254.169.254/latest/meta-data',
    'http://[::1]:8080/',
    'http://10.0.0.7/',
    'http://localhost/',
    'file:///etc/passwd',
    'http://user:pw@example.com/',
    'gopher://example.com',
    // Other spellings of loopback and metadata that URL parsing normalises.
    'http://2130706433/',
    'http://0x7f.0.0.1/',
    'http://0177.0.0.1/',
    'http://127.1/',
    'http://[0:0:0:0:0:ffff:127.0.0.1]/',
    'http://[::ffff:169.254.169.254]/',
    'http://[::127.0.0.1]/',
    'http://[::169.254.169.254]/',
    'http://[2002:a9fe:a9fe::]/',
    'http://[2002:7f00:1::]/',
    'http://[64:ff9b:1::a9fe:a9fe]/',
    'http://[2001::1]/',
    'http://[100::1]/',
    'http://[::ffff:0:a9fe:a9fe]/',
    'http://[fec0::1]/',
  ])('refuses %s', async (url) => {
    await expect(checkOutboundUrl(url, none)).rejects.toMatchObject({ code: 'validation_failed' });
  });
  it.each(['http://93.184.216.34/', 'https://[2606:4700::1111]/x'])('accepts the public %s', async (url) => {
    await expect(checkOutboundUrl(url, none)).resolves.toMatchObject({ url: new URL(url) });
  });
  it('allows an explicitly allowlisted local host', async () => {
    await expect(checkOutboundUrl('http://127.0.0.1:9/x', { allowHosts: ['127.0.0.1'] })).resolves.toMatchObject({
      address: '127.0.0.1',
    });
  });
});

describe('guardedFetch', () => {
  let server: Server;
  let base: string;
  beforeAll(async () => {
    server = createServer((req, res) => {
      if (req.url === '/big') return res.end('x'.repeat(10_000));
      const redirect = /^\/redirect\/(\d+)$/.exec(req.url ?? '');
      if (redirect) {
        res.writeHead(Number(redirect[1]), { Location: 'http://169.254.169.254/latest/meta-data/' });
        return res.end('SECRET-BODY');
      }
      if (req.url === '/echo') return void req.pipe(res);
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
    await expect(guardedFetch(`${base}/big`, policy, { timeoutMs: 1000, maxBytes: 1000 })).rejects.toMatchObject({
      code: 'payload_too_large',
    });
  });
  it.each([301, 302, 303, 307, 308])(
    'treats a %i as an error without following it or revealing where it pointed',
    async (status) => {
      const err = await guardedFetch(`${base}/redirect/${status}`, policy, { timeoutMs: 1000, maxBytes: 1000 }).catch(
        (e: unknown) => e,
      );
      expect(err).toMatchObject({ code: 'unprocessable', message: expect.stringContaining(String(status)) });
      expect(JSON.stringify(err)).not.toMatch(/169\.254|meta-data|SECRET-BODY/);
      expect((err as Error).message).not.toMatch(/169\.254|meta-data|SECRET-BODY/);
    },
  );
  it('sends a PUT body', async () => {
    const res = await guardedFetch(`${base}/echo`, policy, {
      timeoutMs: 1000,
      maxBytes: 1000,
      method: 'PUT',
      body: '{"a":1}',
    });
    expect(res.body.toString()).toBe('{"a":1}');
  });
  it('reaches an allowlisted host name through its checked address', async () => {
    const res = await guardedFetch(
      `${base.replace('127.0.0.1', 'localhost')}/ok`,
      { allowHosts: ['localhost'] },
      { timeoutMs: 1000, maxBytes: 1000 },
    );
    expect(res.status).toBe(200);
  });
  it('refuses a host name that resolves to a private address', async () => {
    await expect(
      guardedFetch(
        `${base.replace('127.0.0.1', 'localhost')}/ok`,
        { allowHosts: [] },
        { timeoutMs: 1000, maxBytes: 1000 },
      ),
    ).rejects.toMatchObject({ code: 'validation_failed' });
  });
  it('times out', async () => {
    await expect(guardedFetch(`${base}/slow`, policy, { timeoutMs: 200, maxBytes: 1000 })).rejects.toMatchObject({
      code: 'unprocessable',
    });
  });
  it('refuses the same local server without the allowlist', async () => {
    await expect(
      guardedFetch(`${base}/ok`, { allowHosts: [] }, { timeoutMs: 1000, maxBytes: 1000 }),
    ).rejects.toMatchObject({ code: 'validation_failed' });
  });
});
