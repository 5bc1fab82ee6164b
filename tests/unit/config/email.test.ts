import { describe, expect, it } from '@jest/globals';
import { loadConfig } from '../../../src/config/config.ts';

describe('email settings', () => {
  it('are off by default, with a delay of minutes', () => {
    const config = loadConfig({});
    expect(config.SMTP_URL).toBeUndefined();
    expect(config.EMAIL_DIGEST_DELAY_MS).toBe(5 * 60_000);
  });

  it('take smtp:// and smtps:// URLs and need a sender with them', () => {
    expect(() => loadConfig({ SMTP_URL: 'http://mail.example' })).toThrow(/SMTP_URL: must be an smtp/);
    expect(() => loadConfig({ SMTP_URL: 'smtp://mail.example:587' })).toThrow(/EMAIL_FROM: required/);
    const config = loadConfig({ SMTP_URL: 'smtps://u:p@mail.example:465', EMAIL_FROM: 'Ensemble <n@example.com>' });
    expect(config).toMatchObject({ SMTP_URL: 'smtps://u:p@mail.example:465', EMAIL_FROM: 'Ensemble <n@example.com>' });
    expect(() => loadConfig({ EMAIL_DIGEST_DELAY_MS: '-1' })).toThrow(/EMAIL_DIGEST_DELAY_MS/);
  });
});
