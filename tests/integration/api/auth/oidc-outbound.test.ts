// Requests to an identity provider go through the outbound guard, as GitHub's and Figma's do: the
// token, UserInfo and JWKS endpoints come from the provider's discovery document, so they are
// checked like any other URL a third party hands us, and its answers are capped in size.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { OidcBrowser } from '../../../support/oidc-browser.ts';
import { startTestServer, type TestServer } from '../../../support/server.ts';
import { startOidcStandIn, type OidcStandIn } from '../../../support/standins/oidc.ts';

let good: OidcStandIn;
let pointing: OidcStandIn;
let padded: OidcStandIn;
let server: TestServer;
beforeAll(async () => {
  good = await startOidcStandIn('c', 's');
  // Its discovery document sends the server to `localhost`, a loopback name not allowed below.
  pointing = await startOidcStandIn('c', 's', { endpointHost: 'localhost' });
  padded = await startOidcStandIn('c', 's', { jwksPaddingBytes: 2 * 1024 * 1024 });
  const provider = (name: string, idp: OidcStandIn) => ({
    [`OIDC_${name}_ISSUER`]: idp.issuer,
    [`OIDC_${name}_CLIENT_ID`]: 'c',
    [`OIDC_${name}_CLIENT_SECRET`]: 's',
  });
  server = await startTestServer({
    OIDC_PROVIDERS: 'good,pointing,padded',
    ...provider('GOOD', good),
    ...provider('POINTING', pointing),
    ...provider('PADDED', padded),
    OUTBOUND_ALLOW_HOSTS: '127.0.0.1',
    OUTBOUND_TIMEOUT_MS: '3000',
  });
});
afterAll(async () => {
  await server.close();
  await Promise.all([good.close(), pointing.close(), padded.close()]);
});

const signIn = async (idp: OidcStandIn, provider: string, email: string) => {
  idp.signInAs({ sub: `s-${email}`, email, email_verified: true, name: 'Ada' });
  const browser = new OidcBrowser(server.url);
  return browser.back(await browser.toProvider(undefined, provider));
};

describe('outbound requests to identity providers', () => {
  it('signs in through a provider on an allowed host', async () => {
    expect((await signIn(good, 'good', 'ada@good.test')).searchParams.get('code')).toMatch(/./);
  });

  it('never calls an endpoint the discovery document puts on a blocked address', async () => {
    const landed = await signIn(pointing, 'pointing', 'ada@pointing.test');
    expect(landed.searchParams.get('error')).toBe('oidc_provider_unavailable');
    expect(landed.searchParams.get('code')).toBeNull();
    expect(pointing.seen.filter((r) => r.path.endsWith('/token'))).toEqual([]);
  });

  it('refuses an answer larger than a provider document may be', async () => {
    const landed = await signIn(padded, 'padded', 'ada@padded.test');
    expect(landed.searchParams.get('error')).toBe('oidc_provider_unavailable');
    expect(padded.seen.some((r) => r.path.endsWith('/jwks'))).toBe(true);
  });
});
