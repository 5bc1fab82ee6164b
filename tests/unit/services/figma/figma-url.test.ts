import { describe, expect, it } from '@jest/globals';
import { parseFigmaUrl } from '../../../../src/services/figma/figma-url.ts';
import { AppError } from '../../../../src/utils/errors.ts';

const KEY = 'hG7kN2pQx9TzL4mWvB8cRd';

const refusal = (url: string) => {
  try {
    parseFigmaUrl(url);
  } catch (err) {
    expect(err).toBeInstanceOf(AppError);
    const e = err as AppError;
    expect(e.code).toBe('validation_failed');
    return (e.details as { path: string; code: string; message: string }[])[0] as {
      path: string;
      code: string;
      message: string;
    };
  }
  throw new Error(`${url} was accepted`);
};

describe('parseFigmaUrl', () => {
  it('reads /design/ and /file/ links; node-id 12-34 (and the older 12%3A34) is node 12:34', () => {
    expect(parseFigmaUrl(`https://www.figma.com/design/${KEY}/Acme?node-id=12-34&t=abc-1`)).toEqual({
      fileKey: KEY,
      nodeId: '12:34',
    });
    expect(parseFigmaUrl(`https://figma.com/file/${KEY}/Acme-UI?type=design&node-id=1%3A2&mode=dev`)).toEqual({
      fileKey: KEY,
      nodeId: '1:2',
    });
  });

  it('reads a branch link as the branch’s own file', () => {
    expect(parseFigmaUrl(`https://www.figma.com/design/${KEY}/branch/Br4nchK3yAbCdEf/Acme?node-id=5-6`)).toEqual({
      fileKey: 'Br4nchK3yAbCdEf',
      nodeId: '5:6',
    });
  });

  it('refuses what is not a Figma node link, saying why, on figmaUrl', () => {
    expect(refusal('not a url')).toMatchObject({ path: 'figmaUrl', code: 'invalid_figma_url' });
    expect(refusal(`https://evil.example/design/${KEY}/x?node-id=1-2`).message).toContain('figma.com');
    expect(refusal(`http://www.figma.com/design/${KEY}/x?node-id=1-2`).message).toContain('https://');
    expect(refusal('https://www.figma.com/files/recent').message).toContain('/design/');
    expect(refusal('https://www.figma.com/design/%2e%2e/x?node-id=1-2').message).toContain('file key');
    expect(refusal(`https://www.figma.com/design/${KEY}/Acme`).message).toContain('node-id');
    expect(refusal(`https://www.figma.com/design/${KEY}/Acme?node-id=12-34-56`).message).toContain('12-34');
    // Longer than any node id (and than the cache's column): refused here, not by the database.
    expect(refusal(`https://www.figma.com/design/${KEY}/Acme?node-id=${'1'.repeat(70)}-${'2'.repeat(70)}`).code).toBe(
      'invalid_figma_url',
    );
  });
});
