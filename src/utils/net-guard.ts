// Outbound HTTP to user-supplied URLs (token imports, webhooks, npm registries) without SSRF: the host
// is resolved once, every address is checked against private, loopback, link-local, metadata and
// reserved ranges (IPv6 transition forms included), and the connection goes to the checked address.
// Redirects are errors, never followed; size and time are capped.
import { lookup } from 'node:dns/promises';
import http from 'node:http';
import https from 'node:https';
import { BlockList, isIP, type LookupFunction } from 'node:net';
import { AppError } from './errors.ts';

const subnets = (list: BlockList, family: 'ipv4' | 'ipv6', nets: readonly (readonly [string, number])[]) => {
  for (const [net, prefix] of nets) list.addSubnet(net, prefix, family);
  return list;
};

/** IPv4 special-purpose ranges (IANA registry) that are not globally reachable, plus multicast and 240/4. */
const blocked4 = subnets(new BlockList(), 'ipv4', [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.0.2.0', 24],
  ['192.88.99.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['198.51.100.0', 24],
  ['203.0.113.0', 24],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
]);

/** IPv6 ranges that embed an IPv4 address the guard decodes and checks: IPv4-mapped ::ffff:0:0/96. */
const mapped6 = subnets(new BlockList(), 'ipv6', [['::ffff:0:0', 96]]);

/** Only global unicast (2000::/3) may be reached; this drops ::/8 (unspecified, loopback, IPv4-compatible
 * ::/96, SIIT ::ffff:0:0:0/96, NAT64 64:ff9b::/96 and 64:ff9b:1::/48), discard 100::/64, 5f00::/16,
 * ULA fc00::/7, link-local fe80::/10, site-local fec0::/10 and multicast ff00::/8 in one rule. */
const global6 = subnets(new BlockList(), 'ipv6', [['2000::', 3]]);

/** Reserved or tunnelling ranges inside 2000::/3. 6to4 and Teredo are refused whole: they tunnel to an
 * IPv4 address (Teredo's obfuscated) that could be private, and both are deprecated. */
const blocked6 = subnets(new BlockList(), 'ipv6', [
  ['2001::', 23], // IETF protocol assignments: Teredo 2001::/32, benchmarking 2001:2::/48, ORCHID 2001:10::/28, ORCHIDv2 2001:20::/28…
  ['2001:db8::', 32], // documentation
  ['2002::', 16], // 6to4
  ['3fff::', 20], // documentation
]);

/** The IPv4 address in the low 32 bits of a valid IPv6 address, whichever way it is spelled. */
function lowIpv4(address: string): string {
  const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(address);
  if (dotted) return dotted[1] as string;
  const [head = [], tail = []] = address.split('::').map((part) => part.split(':').filter(Boolean));
  const groups = [...head, ...Array<string>(8 - head.length - tail.length).fill('0'), ...tail];
  const [hi, lo] = groups.slice(-2).map((g) => parseInt(g, 16)) as [number, number];
  return [hi >> 8, hi & 255, lo >> 8, lo & 255].join('.');
}

/** Whether an IP address is one outbound requests must never reach; anything that is not an address is. */
export function isBlockedAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 4) return blocked4.check(address, 'ipv4');
  // A zone index (fe80::1%eth0) only exists for link-local scopes.
  if (family !== 6 || address.includes('%')) return true;
  if (mapped6.check(address, 'ipv6')) return blocked4.check(lowIpv4(address), 'ipv4');
  return !global6.check(address, 'ipv6') || blocked6.check(address, 'ipv6');
}

export interface OutboundPolicy {
  /** Hosts (names or IPs) allowed even when they resolve to private addresses: development and tests. */
  allowHosts: readonly string[];
}

const refuse = (message: string) =>
  new AppError('validation_failed', message, [{ path: 'url', code: 'url_not_allowed', message }]);

/** Checks a URL and resolves the address to connect to; throws `validation_failed` on `url`. */
export async function checkOutboundUrl(
  raw: string,
  policy: OutboundPolicy,
): Promise<{ url: URL; address: string; family: number }> {
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
  const addresses = isIP(host)
    ? [{ address: host, family: isIP(host) }]
    : await lookup(host, { all: true }).catch(() => []);
  if (!addresses.length) throw refuse(`Cannot resolve ${host}`);
  if (!allowed && addresses.some((a) => isBlockedAddress(a.address)))
    throw refuse('The URL points at a private or reserved address');
  const first = addresses[0] as { address: string; family: number };
  return { url, address: first.address, family: first.family };
}

export interface FetchLimits {
  timeoutMs: number;
  maxBytes: number;
  method?: 'GET' | 'POST' | 'PUT';
  headers?: Record<string, string>;
  body?: string;
}

export interface FetchResult {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

/** A DNS lookup that answers only the checked address, in the shape the caller asked for. */
const pinned =
  (address: string, family: number): LookupFunction =>
  (_host, options, cb) => {
    // Happy-eyeballs connects (Node's default) ask for `all`; a single answer there fails every host name.
    if (options.all) cb(null, [{ address, family }]);
    else cb(null, address, family);
  };

/** Requests a checked URL, pinned to its checked address; a redirect is an error (neither followed nor
 * its Location or body passed on), and so is a body over `maxBytes`. */
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
        lookup: pinned(address, family),
      },
      (res) => {
        const status = res.statusCode ?? 0;
        if (status >= 300 && status < 400) {
          req.destroy();
          reject(new AppError('unprocessable', `The URL answered with a redirect (${status}), which is not followed`));
          return;
        }
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
        res.on('end', () => resolve({ status, headers: res.headers, body: Buffer.concat(chunks) }));
        res.on('error', reject);
      },
    );
    const timer = setTimeout(() => req.destroy(new Error('timeout')), limits.timeoutMs);
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', (err) =>
      reject(
        err instanceof AppError
          ? err
          : new AppError(
              'unprocessable',
              `Fetching the URL failed: ${err.message === 'timeout' ? 'timed out' : 'connection failed'}`,
            ),
      ),
    );
    req.on('close', () => clearTimeout(timer));
    if (limits.body) req.write(limits.body);
    req.end();
  });
}
