import { randomUUID } from 'node:crypto';
import { describe, expect, it } from '@jest/globals';
import { UnsubscribeLinks } from '../../../../src/services/email/unsubscribe-links.ts';
import { AssetUrlSigner } from '../../../../src/services/assets/asset-urls.ts';

const secret = 'a'.repeat(40);
const refusal = expect.objectContaining({ code: 'invalid_unsubscribe_link' });

describe('unsubscribe links', () => {
  const links = new UnsubscribeLinks(secret);
  const userId = randomUUID();

  it('give back the user they were made for, on every node sharing the secret', () => {
    expect(new UnsubscribeLinks(secret).verify(links.token(userId))).toBe(userId);
  });

  it('refuse altered, foreign and malformed tokens', () => {
    const token = links.token(userId);
    const [, signature] = token.split('.');
    // Another user's id under this signature, a flipped signature, another server's link.
    expect(() => links.verify(`${randomUUID()}.${signature}`)).toThrow(refusal);
    expect(() => links.verify(token.replace(/.$/, (c) => (c === 'A' ? 'B' : 'A')))).toThrow(refusal);
    expect(() => links.verify(new UnsubscribeLinks('b'.repeat(40)).token(userId))).toThrow(refusal);
    for (const bad of ['', 'x', `${userId}.`, `.${signature}`, `${token}.extra`, `not-a-uuid.${signature}`])
      expect(() => links.verify(bad)).toThrow(refusal);
  });

  it('are bound to their purpose: another signature under the same secret does not pass', () => {
    const asset = new AssetUrlSigner(secret).sign({ dsId: userId, assetId: userId }, 0);
    expect(() => links.verify(`${userId}.${asset}`)).toThrow(refusal);
  });
});
