import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from '@jest/globals';
import { loadConfig } from '../../../src/config/config.ts';

const pem = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({
  type: 'pkcs1',
  format: 'pem',
}) as string;

describe('GitHub App settings', () => {
  it('are off by default', () => {
    const config = loadConfig({});
    expect([config.GITHUB_APP_ID, config.GITHUB_APP_PRIVATE_KEY]).toEqual([undefined, undefined]);
  });

  it('take a PEM key with real or escaped newlines', () => {
    expect(loadConfig({ GITHUB_APP_ID: '42', GITHUB_APP_PRIVATE_KEY: pem }).GITHUB_APP_PRIVATE_KEY).toBe(pem);
    expect(
      loadConfig({ GITHUB_APP_ID: '42', GITHUB_APP_PRIVATE_KEY: pem.replace(/\n/g, '\\n') }).GITHUB_APP_PRIVATE_KEY,
    ).toBe(pem);
  });

  it('name what is wrong', () => {
    expect(() => loadConfig({ GITHUB_APP_ID: '42' })).toThrow(/set both/);
    expect(() => loadConfig({ GITHUB_APP_PRIVATE_KEY: pem })).toThrow(/set both/);
    expect(() => loadConfig({ GITHUB_APP_ID: 'acme', GITHUB_APP_PRIVATE_KEY: pem })).toThrow(
      /GITHUB_APP_ID: the numeric id/,
    );
    expect(() => loadConfig({ GITHUB_APP_ID: '42', GITHUB_APP_PRIVATE_KEY: 'not a key' })).toThrow(
      /GITHUB_APP_PRIVATE_KEY: a PEM private key/,
    );
  });
});
