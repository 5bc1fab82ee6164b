// OpenID Connect providers from the environment: OIDC_PROVIDERS names them, OIDC_<NAME>_* describes each.
import { describe, expect, it } from '@jest/globals';
import { ConfigError, loadConfig } from '../../../src/config/config.ts';

describe('OIDC provider configuration', () => {
  it('is off when OIDC_PROVIDERS is unset', () => {
    expect(loadConfig({}).oidcProviders).toEqual([]);
  });

  it('reads each named provider, with Google defaulting its issuer and label', () => {
    const { oidcProviders } = loadConfig({
      OIDC_PROVIDERS: 'google, acme',
      OIDC_GOOGLE_CLIENT_ID: 'g-id',
      OIDC_GOOGLE_CLIENT_SECRET: 'g-secret',
      OIDC_ACME_ISSUER: 'https://sso.acme.example/realms/staff/',
      OIDC_ACME_CLIENT_ID: 'a-id',
      OIDC_ACME_CLIENT_SECRET: 'a-secret',
      OIDC_ACME_SCOPES: 'email groups',
      OIDC_ACME_ALLOWED_DOMAINS: 'Acme.example,acme.io',
    });
    expect(oidcProviders).toEqual([
      {
        name: 'google',
        label: 'Google',
        issuer: 'https://accounts.google.com',
        clientId: 'g-id',
        clientSecret: 'g-secret',
        scopes: ['openid', 'email', 'profile'],
        allowedDomains: [],
      },
      {
        name: 'acme',
        label: 'Acme',
        // Kept as written: the issuer is compared byte for byte.
        issuer: 'https://sso.acme.example/realms/staff/',
        clientId: 'a-id',
        clientSecret: 'a-secret',
        scopes: ['openid', 'email', 'groups'],
        allowedDomains: ['acme.example', 'acme.io'],
      },
    ]);
  });

  it('names every missing or malformed variable of every provider', () => {
    expect.assertions(5);
    try {
      loadConfig({
        OIDC_PROVIDERS: 'acme,google,Bad-Name',
        OIDC_ACME_ISSUER: 'ftp://x',
        OIDC_GOOGLE_CLIENT_ID: 'g',
        OIDC_GOOGLE_ALLOWED_DOMAINS: '@acme.example',
      });
    } catch (err) {
      expect(err).toBeInstanceOf(ConfigError);
      const problems = (err as ConfigError).problems;
      expect(problems).toEqual(
        expect.arrayContaining([
          expect.stringMatching(/^OIDC_ACME_ISSUER: /),
          expect.stringMatching(/^OIDC_ACME_CLIENT_ID: /),
          expect.stringMatching(/^OIDC_GOOGLE_CLIENT_SECRET: /),
          expect.stringMatching(/^OIDC_PROVIDERS: "Bad-Name"/),
          expect.stringMatching(/^OIDC_GOOGLE_ALLOWED_DOMAINS: comma-separated email domains/),
        ]),
      );
      expect(problems.some((p) => p.startsWith('OIDC_GOOGLE_ISSUER'))).toBe(false);
      expect(problems.some((p) => p.startsWith('OIDC_GOOGLE_CLIENT_ID'))).toBe(false);
      expect(problems).toHaveLength(6);
    }
  });

  it('refuses an issuer longer than identities can store (512 characters)', () => {
    expect(() =>
      loadConfig({
        OIDC_PROVIDERS: 'acme',
        OIDC_ACME_ISSUER: `https://sso.acme.example/${'r'.repeat(500)}`,
        OIDC_ACME_CLIENT_ID: 'c',
        OIDC_ACME_CLIENT_SECRET: 's',
      }),
    ).toThrow(/OIDC_ACME_ISSUER: /);
  });
});
