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
