import { describe, expect, it } from '@jest/globals';
import { ConfigError, loadConfig } from '../../../src/config/config.ts';

describe('loadConfig', () => {
  it('gives working defaults for an empty environment', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      PORT: 3000,
      HOST: '0.0.0.0',
      ENSEMBLE_ROLE: 'all',
      BODY_LIMIT_BYTES: 1024 * 1024,
      CORS_ORIGINS: [],
    });
    expect(config.DATABASE_URL).toBeUndefined();
    expect(config.REDIS_URL).toBeUndefined();
  });

  it('names every bad variable', () => {
    expect.assertions(4);
    try {
      loadConfig({ PORT: 'eighty', DATABASE_URL: 'mysql://x', ENSEMBLE_ROLE: 'boss' });
    } catch (err) {
      expect(err).toBeInstanceOf(ConfigError);
      const message = (err as Error).message;
      expect(message).toContain('PORT');
      expect(message).toContain('DATABASE_URL');
      expect(message).toContain('ENSEMBLE_ROLE');
    }
  });

  it('requires a JWT secret in production', () => {
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(/JWT_SECRET/);
    expect(() => loadConfig({ NODE_ENV: 'production', JWT_SECRET: 'short' })).toThrow(/JWT_SECRET/);
    expect(loadConfig({ NODE_ENV: 'production', JWT_SECRET: 'x'.repeat(32) }).NODE_ENV).toBe('production');
  });

  it('parses lists and treats empty strings as unset', () => {
    const config = loadConfig({ CORS_ORIGINS: 'https://a.example, https://b.example', REDIS_URL: '' });
    expect(config.CORS_ORIGINS).toEqual(['https://a.example', 'https://b.example']);
    expect(config.REDIS_URL).toBeUndefined();
  });
});
