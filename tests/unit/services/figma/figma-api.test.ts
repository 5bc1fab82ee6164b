// Figma being down: nothing listening, or not answering in time, is `figma_unavailable` (503).
import { describe, expect, it } from '@jest/globals';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { FigmaApi, FigmaError } from '../../../../src/services/figma/figma-api.ts';
import { figmaAppError } from '../../../../src/services/figma/figma-errors.ts';
import type { AppError } from '../../../../src/utils/errors.ts';

const settings = (baseUrl: string, timeoutMs = 2000) => ({
  baseUrl,
  policy: { allowHosts: ['127.0.0.1'] },
  timeoutMs,
  maxBytes: 1024 * 1024,
});

async function failure(call: Promise<unknown>): Promise<AppError> {
  const err = await call.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(FigmaError);
  return figmaAppError(err) as AppError;
}

describe('FigmaApi when Figma is down', () => {
  it('maps a refused connection to figma_unavailable (503)', async () => {
    const server = createServer();
    await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
    const { port } = server.address() as AddressInfo;
    await new Promise<void>((ok) => server.close(() => ok()));
    const err = await failure(new FigmaApi(settings(`http://127.0.0.1:${port}`), 'figd_x').me());
    expect(err.code).toBe('figma_unavailable');
    expect(err.status).toBe(503);
    expect(err.message).toContain('could not be reached while checking the token');
  });

  it('maps an answer that never comes to figma_unavailable', async () => {
    const server = createServer(() => {
      // Never answers.
    });
    await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
    const { port } = server.address() as AddressInfo;
    try {
      const err = await failure(
        new FigmaApi(settings(`http://127.0.0.1:${port}`, 200), 'figd_x').fileMeta('abcdefghij12'),
      );
      expect(err.code).toBe('figma_unavailable');
      expect(err.message).toContain('timed out');
    } finally {
      server.closeAllConnections();
      await new Promise<void>((ok) => server.close(() => ok()));
    }
  });

  it('maps a 5xx page that is not JSON to figma_unavailable, keeping the status', async () => {
    const server = createServer((_req, res) => {
      res.writeHead(502, { 'Content-Type': 'text/html' });
      res.end('<html>Bad gateway</html>');
    });
    await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
    const { port } = server.address() as AddressInfo;
    try {
      const err = await failure(
        new FigmaApi(settings(`http://127.0.0.1:${port}`), 'figd_x').localVariables('abcdefghij12'),
      );
      expect(err.code).toBe('figma_unavailable');
      expect(err.message).toContain('answered 502');
    } finally {
      await new Promise<void>((ok) => server.close(() => ok()));
    }
  });
});

describe('FigmaApi reading answers', () => {
  /** A server answering 200 with `body` to everything. */
  async function answering(body: unknown) {
    const server = createServer((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify(body));
    });
    await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
    const { port } = server.address() as AddressInfo;
    return {
      api: new FigmaApi(settings(`http://127.0.0.1:${port}`), 'figd_x'),
      close: () => new Promise<void>((ok) => server.close(() => ok())),
    };
  }

  it.each([
    ['a file without its version', {}, (api: FigmaApi) => api.fileMeta('abcdefghij12')],
    ['an account without its id', { handle: 'ada' }, (api: FigmaApi) => api.me()],
    ['an account with a handle longer than stored', { id: '1', handle: 'a'.repeat(256) }, (api: FigmaApi) => api.me()],
    [
      'a version longer than stored',
      { name: 'F', version: '1'.repeat(65) },
      (api: FigmaApi) => api.fileMeta('abcdefghij12'),
    ],
    ['nodes that are not a map', { nodes: [1, 2] }, (api: FigmaApi) => api.nodes('abcdefghij12', ['1:2'])],
    [
      'a node whose fills are not a list',
      { nodes: { '1:2': { document: { id: '1:2', name: 'B', type: 'FRAME', fills: 'red' } } } },
      (api: FigmaApi) => api.nodes('abcdefghij12', ['1:2']),
    ],
    [
      'variables without their collections',
      { meta: { variables: {} } },
      (api: FigmaApi) => api.localVariables('abcdefghij12'),
    ],
  ])('refuses %s as figma_unavailable', async (_what, body, call) => {
    const { api, close } = await answering(body);
    try {
      const err = await failure(call(api));
      expect(err.code).toBe('figma_unavailable');
      expect(err.message).toContain('not what Figma documents');
    } finally {
      await close();
    }
  });

  it('refuses a node tree nested deeper than the checks can follow as figma_unavailable', async () => {
    let doc = '{"id":"x","name":"n","type":"FRAME"}';
    for (let i = 0; i < 20_000; i++) doc = `{"id":"x","name":"n","type":"FRAME","children":[${doc}]}`;
    const server = createServer((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end(`{"nodes":{"1:2":{"document":${doc}}}}`);
    });
    await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
    const { port } = server.address() as AddressInfo;
    try {
      const api = new FigmaApi({ ...settings(`http://127.0.0.1:${port}`), maxBytes: 8 * 1024 * 1024 }, 'figd_x');
      const err = await failure(api.nodes('abcdefghij12', ['1:2']));
      expect(err.code).toBe('figma_unavailable');
      expect(err.message).toContain('nested too deeply');
    } finally {
      await new Promise<void>((ok) => server.close(() => ok()));
    }
  });

  it('reads a well-formed answer, with fields it does not read kept', async () => {
    const { api, close } = await answering({ name: 'File', lastModified: 'x', version: '42', thumbnailUrl: 'u' });
    try {
      expect(await api.fileMeta('abcdefghij12')).toMatchObject({ version: '42', thumbnailUrl: 'u' });
    } finally {
      await close();
    }
  });
});
