// Publishing to an npm registry the way `npm publish` does: one PUT of the packument with the new
// version and the tarball attached.
import { AppError } from '../../utils/errors.ts';
import type { Tarball } from './tarball.ts';

/** PUTs the version to `registryUrl`; throws with the registry's own message when refused. */
export async function publishToRegistry(registryUrl: string, token: string, pkg: { name: string; version: string; description?: string } & Record<string, unknown>, tarball: Tarball, distTag: string): Promise<void> {
  const base = registryUrl.replace(/\/$/, '');
  const file = `${pkg.name.replace(/^@[^/]+\//, '')}-${pkg.version}.tgz`;
  const body = {
    _id: pkg.name,
    name: pkg.name,
    description: pkg.description ?? '',
    'dist-tags': { [distTag]: pkg.version },
    versions: {
      [pkg.version]: { ...pkg, _id: `${pkg.name}@${pkg.version}`, dist: { shasum: tarball.shasum, integrity: tarball.integrity, tarball: `${base}/${pkg.name}/-/${file}` } },
    },
    _attachments: { [file]: { content_type: 'application/octet-stream', data: tarball.data.toString('base64'), length: tarball.data.length } },
  };
  const res = await fetch(`${base}/${pkg.name.replace('/', '%2f')}`, {
    method: 'PUT',
    headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}`, 'npm-command': 'publish' },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(60_000),
  });
  if (!res.ok) {
    const text = await res.text().catch(() => '');
    let message = text.slice(0, 300);
    try {
      message = (JSON.parse(text) as { error?: string }).error ?? message;
    } catch {
      // Not JSON.
    }
    throw new AppError('unprocessable', `The registry refused the publish (${res.status}): ${message}`);
  }
}
