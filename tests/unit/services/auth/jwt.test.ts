// Access tokens: a token verified once is remembered (verification is the dearest part of
// authenticating a request), but expiry, tampering and a foreign secret are refused as before.
import { describe, expect, it } from '@jest/globals';
import { AccessTokens } from '../../../../src/services/auth/jwt.ts';
import { AppError } from '../../../../src/utils/errors.ts';

const settings = (ttlSeconds: number, secret = 'a'.repeat(32)) => ({
  secret,
  issuer: 'ensemble-test',
  audience: 'ensemble-test-api',
  ttlSeconds,
});
const refused = (fn: () => unknown) => {
  try {
    fn();
  } catch (err) {
    return err instanceof AppError ? err.code : String(err);
  }
  return 'accepted';
};

describe('AccessTokens.verify', () => {
  it('answers the same claims again and again, and each caller gets its own copy', () => {
    const tokens = new AccessTokens(settings(3600));
    const token = tokens.sign({ sub: 'user-1', sid: 'session-1' });
    const first = tokens.verify(token);
    expect(first).toMatchObject({ sub: 'user-1', sid: 'session-1' });
    first.sub = 'someone-else';
    expect(tokens.verify(token)).toMatchObject({ sub: 'user-1', sid: 'session-1' });
  });

  it('refuses a remembered token once it expired', async () => {
    const tokens = new AccessTokens(settings(1));
    const token = tokens.sign({ sub: 'user-1', sid: 'session-1' });
    const { expiresAt } = tokens.verify(token);
    while (Date.now() < expiresAt) await new Promise((resolve) => setTimeout(resolve, 50));
    expect(refused(() => tokens.verify(token))).toBe('invalid_token');
    expect(refused(() => tokens.verify(token))).toBe('invalid_token');
  });

  it('refuses a tampered copy of a remembered token and one signed with another secret', () => {
    const tokens = new AccessTokens(settings(3600));
    const token = tokens.sign({ sub: 'user-1', sid: 'session-1' });
    tokens.verify(token);
    const [header, payload, signature] = token.split('.') as [string, string, string];
    const forged = Buffer.from(
      JSON.stringify({ ...JSON.parse(Buffer.from(payload, 'base64url').toString()), sub: 'admin' }),
    );
    expect(refused(() => tokens.verify(`${header}.${forged.toString('base64url')}.${signature}`))).toBe(
      'invalid_token',
    );
    const other = new AccessTokens(settings(3600, 'b'.repeat(32)));
    expect(refused(() => other.verify(token))).toBe('invalid_token');
    expect(tokens.verify(token).sub).toBe('user-1');
  });

  it('keeps working past its memory bound', () => {
    const tokens = new AccessTokens(settings(3600));
    const all = Array.from({ length: 1500 }, (_, i) => tokens.sign({ sub: `user-${i}`, sid: `s-${i}` }));
    for (const token of all) tokens.verify(token);
    for (const [i, token] of all.entries()) expect(tokens.verify(token).sub).toBe(`user-${i}`);
  });
});
