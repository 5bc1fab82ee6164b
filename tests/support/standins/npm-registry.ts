// A local HTTP server speaking the npm registry protocol that `npm publish` and `npm install` use:
// PUT /<name> (packument with an attached tarball), GET /<name> (packument), GET /<name>/-/<file>
// (tarball). Publishing needs the bearer token; a version can be published once.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RegistryStandIn {
  url: string;
  token: string;
  packuments: Map<string, any>;
  close(): Promise<void>;
}

/** Starts the registry on 127.0.0.1. */
export async function startRegistryStandIn(token = 'npm_test_token'): Promise<RegistryStandIn> {
  const packuments = new Map<string, any>();
  const tarballs = new Map<string, Buffer>();
  let url = '';
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const path = decodeURIComponent((req.url ?? '/').split('?')[0] as string).replace(/^\//, '');
      const json = (status: number, body: unknown) => {
        res.writeHead(status, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify(body));
      };
      if (req.method === 'PUT') {
        if (req.headers.authorization !== `Bearer ${token}`) return json(401, { error: 'authentication required' });
        const body = JSON.parse(Buffer.concat(chunks).toString());
        const existing = packuments.get(body.name) ?? {
          _id: body.name,
          name: body.name,
          'dist-tags': {},
          versions: {},
        };
        for (const version of Object.keys(body.versions)) {
          if (existing.versions[version])
            return json(403, { error: `cannot publish over the previously published version ${version}` });
        }
        for (const [file, attachment] of Object.entries(body._attachments) as [string, { data: string }][])
          tarballs.set(`${body.name}/-/${file}`, Buffer.from(attachment.data, 'base64'));
        Object.assign(existing.versions, body.versions);
        Object.assign(existing['dist-tags'], body['dist-tags']);
        packuments.set(body.name, existing);
        return json(201, { ok: true });
      }
      const tarball = tarballs.get(path);
      if (tarball) {
        res.writeHead(200, { 'Content-Type': 'application/octet-stream', 'Content-Length': tarball.length });
        return res.end(tarball);
      }
      const packument = packuments.get(path);
      if (!packument) return json(404, { error: 'not found' });
      // Tarball URLs point at this server whatever the publisher wrote.
      const versions = Object.fromEntries(
        Object.entries(packument.versions).map(([v, m]: [string, any]) => [
          v,
          { ...m, dist: { ...m.dist, tarball: `${url}/${packument.name}/-/${m.dist.tarball.split('/').pop()}` } },
        ]),
      );
      return json(200, { ...packument, versions });
    });
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    token,
    packuments,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((ok) => server.close(() => ok()));
    },
  };
}
