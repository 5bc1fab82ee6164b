// One-click unsubscribe tokens for email digests: `<user id>.<HMAC-SHA256>` under a key derived from
// the server secret for this one purpose (as the asset URL signer does), over a versioned message
// naming the purpose and the user. Nothing else the server signs can pass for one, a link signed by
// another server is refused, and every node sharing JWT_SECRET accepts every other's links. They do
// not expire: an unsubscribe link in an old email must still work (RFC 8058 asks for that).
import { createHmac, hkdfSync } from 'node:crypto';
import { safeEqual } from '../../utils/crypto.ts';
import { AppError } from '../../utils/errors.ts';

const PURPOSE = 'email-digests-unsubscribe';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** Signs and checks unsubscribe tokens. */
export class UnsubscribeLinks {
  private readonly key: Buffer;

  constructor(serverSecret: string) {
    this.key = Buffer.from(hkdfSync('sha256', serverSecret, 'ensemble', 'email-unsubscribe', 32));
  }

  /** The token that turns off `userId`'s email digests. */
  token(userId: string): string {
    return `${userId.toLowerCase()}.${this.sign(userId.toLowerCase())}`;
  }

  /** The user a token is for; throws `invalid_unsubscribe_link` if it is malformed, altered or foreign. */
  verify(token: string): string {
    const [userId, signature, ...rest] = token.split('.');
    if (!userId || !signature || rest.length || !UUID.test(userId)) throw new AppError('invalid_unsubscribe_link');
    if (!safeEqual(signature, this.sign(userId))) throw new AppError('invalid_unsubscribe_link');
    return userId;
  }

  private sign(userId: string): string {
    return createHmac('sha256', this.key).update(`v1\n${PURPOSE}\n${userId}`).digest('base64url');
  }
}
