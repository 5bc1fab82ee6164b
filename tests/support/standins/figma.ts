// A local HTTP server speaking the parts of Figma's REST API Ensemble uses: GET /v1/me,
// /v1/files/:key?depth=1, /v1/files/:key/nodes?ids=… and /v1/files/:key/variables/local, with
// Figma's error bodies (`{ status, err }` on file endpoints, `{ status, error, message }` on the
// variables ones). It checks X-Figma-Token, counts requests and can be told to refuse the next one.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { BUTTON_NODE, buttonEntry, FILE_KEY, localVariables } from './figma-file.ts';

export { BUTTON_NODE, FILE_KEY };

export interface FigmaStandIn {
  url: string;
  /** A personal access token the stand-in accepts. */
  token: string;
  /** Requests seen (path with query, and the X-Figma-Token sent). */
  seen: { method: string; path: string; token: string | undefined }[];
  /** How many requests went to a path (without its query). */
  count(pathname: string): number;
  /** The next request (or the one after `skip` more) is answered with this status (429 with Retry-After). */
  failNext(status: 403 | 404 | 429 | 500, retryAfterSeconds?: number, skip?: number): void;
  /** Changes the file's version, as an edit in Figma does. */
  bumpVersion(): void;
  /** Edits the file's variables (the answer of `variables/local`), as a designer in Figma would. */
  editVariables(edit: (answer: ReturnType<typeof localVariables>) => void): void;
  close(): Promise<void>;
}

/** Starts the stand-in on 127.0.0.1. */
export async function startFigmaStandIn(): Promise<FigmaStandIn> {
  const token = 'figd_standin_0123456789abcdefghijklmnopqrstuv';
  const seen: FigmaStandIn['seen'] = [];
  let version = 4242001;
  const variables = localVariables();
  let failure: { status: number; retryAfter: number; skip: number } | null = null;
  const lastModified = '2026-11-30T09:12:44Z';

  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const sent = req.headers['x-figma-token'];
    const given = Array.isArray(sent) ? sent[0] : sent;
    seen.push({ method: req.method ?? '', path: `${url.pathname}${url.search}`, token: given });
    const variablesPath = url.pathname.endsWith('/variables/local');
    const json = (status: number, value: unknown, headers: Record<string, string> = {}) => {
      res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', ...headers });
      res.end(JSON.stringify(value));
    };
    // File endpoints answer `{ status, err }`; the variables endpoints `{ status, error, message }`.
    const fail = (status: number, message: string, headers: Record<string, string> = {}) =>
      json(status, variablesPath ? { status, error: true, message } : { status, err: message }, headers);
    if (failure && failure.skip > 0) failure.skip -= 1;
    else if (failure) {
      const { status, retryAfter } = failure;
      failure = null;
      if (status === 429) return fail(429, 'Rate limit exceeded', { 'Retry-After': String(retryAfter) });
      if (status === 403) return fail(403, 'Invalid token');
      if (status === 404) return fail(404, 'Not found');
      return fail(status, 'Internal server error');
    }
    if (req.method !== 'GET') return fail(405, 'Method not allowed');
    if (given !== token) return fail(403, 'Invalid token');
    if (url.pathname === '/v1/me')
      return json(200, {
        id: '1187593042210551813',
        email: 'ada@example.com',
        handle: 'Ada Designer',
        img_url: 'https://s3-alpha.figma.com/profile/ada',
      });
    const match = /^\/v1\/files\/([^/]+)(\/nodes|\/variables\/local)?$/.exec(url.pathname);
    if (!match) return fail(404, 'Not found');
    if (match[1] !== FILE_KEY) return fail(404, 'Not found');
    const head = {
      name: 'Acme Design System',
      role: 'editor',
      lastModified,
      editorType: 'figma',
      thumbnailUrl: 'https://s3-alpha.figma.com/thumbnails/acme',
      version: String(version),
      linkAccess: 'org_view',
    };
    if (!match[2]) {
      if (url.searchParams.get('depth') !== '1') return fail(400, 'This stand-in serves depth=1 only');
      return json(200, {
        ...head,
        document: {
          id: '0:0',
          name: 'Document',
          type: 'DOCUMENT',
          scrollBehavior: 'SCROLLS',
          children: [{ id: '0:1', name: 'Components', type: 'CANVAS', scrollBehavior: 'SCROLLS' }],
        },
        components: {},
        componentSets: {},
        schemaVersion: 0,
        styles: {},
      });
    }
    if (match[2] === '/variables/local') return json(200, variables);
    const ids = (url.searchParams.get('ids') ?? '').split(',').filter(Boolean);
    if (!ids.length) return fail(400, 'Missing ids');
    return json(200, {
      ...head,
      nodes: Object.fromEntries(ids.map((id) => [id, id === BUTTON_NODE ? buttonEntry() : null])),
    });
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    token,
    seen,
    count: (pathname) => seen.filter((s) => s.path.split('?')[0] === pathname).length,
    failNext: (status, retryAfterSeconds = 30, skip = 0) => {
      failure = { status, retryAfter: retryAfterSeconds, skip };
    },
    bumpVersion: () => {
      version += 1;
    },
    editVariables: (edit) => edit(variables),
    close: () => new Promise((ok) => server.close(() => ok())),
  };
}
