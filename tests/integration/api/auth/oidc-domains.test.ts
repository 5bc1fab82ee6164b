// An enterprise's SSO signs in its own people only: OIDC_<NAME>_ALLOWED_DOMAINS restricts a provider
// to verified emails at those domains, on every sign-in (also of an identity linked before).
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { OidcBrowser } from '../../../support/oidc-browser.ts';
import { startTestServer, type TestServer } from '../../../support/server.ts';
import { startOidcStandIn, type OidcStandIn } from '../../../support/standins/oidc.ts';

let idp: OidcStandIn;
let server: TestServer;
beforeAll(async () => {
  idp = await startOidcStandIn('corp-client', 'corp-secret');
  server = await startTestServer({
    OIDC_PROVIDERS: 'acme',
    OIDC_ACME_ISSUER: idp.issuer,
    OIDC_ACME_CLIENT_ID: 'corp-client',
    OIDC_ACME_CLIENT_SECRET: 'corp-secret',
    OIDC_ACME_ALLOWED_DOMAINS: 'acme.test,Staff.Acme.Test',
    OUTBOUND_ALLOW_HOSTS: '127.0.0.1',
  });
});
afterAll(async () => {
  await server.close();
  await idp.close();
});

const signIn = async (email: string, extra: { sub?: string; email_verified?: boolean } = {}) => {
  idp.signInAs({ sub: extra.sub ?? `s-${email}`, email, email_verified: extra.email_verified ?? true, name: 'Staff' });
  return new OidcBrowser(server.url).signIn();
};

describe('a provider with allowed domains', () => {
  it("signs in its domains' verified accounts and refuses the rest", async () => {
    expect((await signIn('ada@acme.test')).searchParams.get('code')).toMatch(/./);
    expect((await signIn('grace@staff.acme.test')).searchParams.get('code')).toMatch(/./);
    expect((await signIn('eve@example.test')).searchParams.get('error')).toBe('oidc_domain_not_allowed');
    // A subdomain not listed, a look-alike, and an unverified address at the domain.
    expect((await signIn('bob@eu.acme.test')).searchParams.get('error')).toBe('oidc_domain_not_allowed');
    expect((await signIn('mallory@acme.test.evil.example')).searchParams.get('error')).toBe('oidc_domain_not_allowed');
    expect((await signIn('carol@acme.test', { email_verified: false })).searchParams.get('error')).toBe(
      'oidc_domain_not_allowed',
    );
    expect(await server.db.user.count({ where: { email: { in: ['eve@example.test', 'bob@eu.acme.test'] } } })).toBe(0);
  });

  it('refuses an identity linked before once its email left the domains', async () => {
    expect((await signIn('dan@acme.test', { sub: 'dan' })).searchParams.get('code')).toMatch(/./);
    expect((await signIn('dan@elsewhere.test', { sub: 'dan' })).searchParams.get('error')).toBe(
      'oidc_domain_not_allowed',
    );
  });
});
