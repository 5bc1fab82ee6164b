// Publishing to an npm registry the way `npm publish` does: one PUT of the packument with the new
// version and the tarball attached. The registry is a user-supplied URL, so the PUT goes through the
// outbound guard (public addresses only, no redirects), and what the registry says back never reaches
// the job: a viewer-readable error must not become a window onto whatever the URL points at.
import { AppError } from '../../utils/errors.ts';
import { guardedFetch, type OutboundPolicy } from '../../utils/net-guard.ts';
import type { Tarball } from './tarball.ts';

const TIMEOUT_MS = 60_000;
const MAX_RESPONSE_BYTES = 64 * 1024;

/** Fixed words for the statuses a registry answers a publish with; the status code says the rest. */
const reasons: Record<number, string> = {
  401: 'the token was not accepted',
  403: 'the token may not publish this package or version',
  404: 'the registry has no such package endpoint',
  409: 'the version conflicts with one already there',
  413: 'the package is too large for the registry',
};

/** PUTs the version to `registryUrl`; throws `unprocessable` with the status (never the body) when refused. */
export async function publishToRegistry(
  registryUrl: string,
  policy: OutboundPolicy,
  token: string,
  pkg: { name: string; version: string; description?: string } & Record<string, unknown>,
  tarball: Tarball,
  distTag: string,
): Promise<void> {
  const base = registryUrl.replace(/\/$/, '');
  const file = `${pkg.name.replace(/^@[^/]+\//, '')}-${pkg.version}.tgz`;
  const body = {
    _id: pkg.name,
    name: pkg.name,
    description: pkg.description ?? '',
    'dist-tags': { [distTag]: pkg.version },
    versions: {
      [pkg.version]: {
        ...pkg,
        _id: `${pkg.name}@${pkg.version}`,
        dist: { shasum: tarball.shasum, integrity: tarball.integrity, tarball: `${base}/${pkg.name}/-/${file}` },
      },
    },
    _attachments: {
      [file]: {
        content_type: 'application/octet-stream',
        data: tarball.data.toString('base64'),
        length: tarball.data.length,
      },
    },
  };
  const res = await guardedFetch(`${base}/${pkg.name.replace('/', '%2f')}`, policy, {
    method: 'PUT',
    headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}`, 'npm-command': 'publish' },
    body: JSON.stringify(body),
    timeoutMs: TIMEOUT_MS,
    maxBytes: MAX_RESPONSE_BYTES,
  });
  if (res.status < 200 || res.status >= 300) {
    const reason = reasons[res.status];
    throw new AppError(
      'unprocessable',
      `The registry refused the publish (${res.status})${reason ? `: ${reason}` : ''}`,
    );
  }
}
