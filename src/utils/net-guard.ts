// Outbound HTTP to user-supplied URLs (token imports, webhooks) without SSRF: the host is resolved
// once, every address is checked against private, loopback, link-local and metadata ranges, and the
// connection goes to the checked address. No redirects; size and time are capped.
import { lookup } from 'node:dns/promises';
import http from 'node:http';
import https from 'node:https';
import { BlockList, isIP } from 'node:net';
import { AppError } from './errors.ts';

const blocked = new BlockList();
for (const [net, prefix] of [
  ['0.0.0.0', 8], ['10.0.0.0', 8], ['100.64.0.0', 10], ['127.0.0.0', 8], ['169.254.0.0', 16], ['172.16.0.0', 12],
  ['192.0.0.0', 24], ['192.0.2.0', 24], ['192.168.0.0', 16], ['198.18.0.0', 15], ['198.51.100.0', 24], ['203.0.113.0', 24],
  ['224.0.0.0', 4], ['240.0.0.0', 4],
] as const) blocked.addSubnet(net, prefix, 'ipv4');
for (const [net, prefix] of [['::', 128], ['::1', 128], ['fc00::', 7], ['fe80::', 10], ['ff00::', 8], ['64:ff9b::', 96], ['2001:db8::', 32]] as const) {
  blocked.addSubnet(net, prefix, 'ipv6');
}

/** Whether an IP address is one outbound requests must never reach. */
export function isBlockedAddress(address: string): boolean {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return blocked.check(mapped[1] as string, 'ipv4');
  const family = isIP(address);
  if (family === 4) return blocked.check(address, 'ipv4');
  if (family === 6) return blocked.check(address, 'ipv6');
  return true;
}

export interface OutboundPolicy {
  /** Hosts (names or IPs) allowed even when they resolve to private addresses: development and tests. */
  allowHosts: readonly string[];
}

const refuse = (message: string) => new AppError('validation_failed', message, [{ path: 'url', code: 'url_not_allowed', message }]);

/** Checks a URL and resolves the address to connect to; throws `validation_failed` on `url`. */
export async function checkOutboundUrl(raw: string, policy: OutboundPolicy): Promise<{ url: URL; address: string; family: number }> {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw refuse('Not a valid URL');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw refuse('Only http and https URLs are allowed');
  if (url.username || url.password) throw refuse('URLs with credentials are not allowed');
  const host = url.hostname.replace(/^\[|\]$/g, '');
  const allowed = policy.allowHosts.includes(host);
  const addresses = isIP(host) ? [{ address: host, family: isIP(host) }] : await lookup(host, { all: true }).catch(() => []);
  if (!addresses.length) throw refuse(`Cannot resolve ${host}`);
  if (!allowed && addresses.some((a) => isBlockedAddress(a.address))) throw refuse('The URL points at a private or reserved address');
  const first = addresses[0] as { address: string; family: number };
  return { url, address: first.address, family: first.family };
}

export interface FetchLimits {
  timeoutMs: number;
  maxBytes: number;
  method?: 'GET' | 'POST';
  headers?: Record<string, string>;
  body?: string;
}

export interface FetchResult {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

/** Requests a checked URL, pinned to its checked address; refuses redirects and oversize bodies. */
export async function guardedFetch(raw: string, policy: OutboundPolicy, limits: FetchLimits): Promise<FetchResult> {
  const { url, address, family } = await checkOutboundUrl(raw, policy);
  const client = url.protocol === 'https:' ? https : http;
  return new Promise<FetchResult>((resolve, reject) => {
    const req = client.request(
      url,
      {
        method: limits.method ?? 'GET',
        headers: { 'User-Agent': 'Ensemble/0.1', ...limits.headers },
        timeout: limits.timeoutMs,
        // A fresh connection each time: a pooled socket could outlive the address check.
        agent: false,
        // Connect to the address we checked, not whatever DNS says a second time.
        lookup: (_host, _opts, cb) => (cb as (e: null, a: string, f: number) => void)(null, address, family),
      },
      (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > limits.maxBytes) {
            req.destroy();
            reject(new AppError('payload_too_large', `The response is larger than ${limits.maxBytes} bytes`));
            return;
          }
          chunks.push(chunk);
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
        res.on('error', reject);
      },
    );
    const timer = setTimeout(() => req.destroy(new Error('timeout')), limits.timeoutMs);
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', (err) => reject(err instanceof AppError ? err : new AppError('unprocessable', `Fetching the URL failed: ${err.message === 'timeout' ? 'timed out' : 'connection failed'}`)));
    req.on('close', () => clearTimeout(timer));
    if (limits.body) req.write(limits.body);
    req.end();
  });
}
