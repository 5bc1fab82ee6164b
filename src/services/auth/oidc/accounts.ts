// Which Ensemble user an OpenID Connect identity signs into: the one it signed into before (by
// issuer + subject, whatever email the provider reports now), else the account with the same
// *verified* email (linked from then on), else a new account. An unverified email never links
// and never creates: the address would be someone's claim, not a fact.
import type { Db, User } from '../../../models/db.ts';
import { AppError } from '../../../utils/errors.ts';
import { uniqueHandle } from '../../users/handles.ts';
import { normaliseEmail } from '../auth.service.ts';
import type { OidcIdentity } from './client.ts';

const isUniqueViolation = (err: unknown) => (err as { code?: string }).code === 'P2002';

/** An avatar the browser may load: an https URL of sane length. */
function avatar(picture: string | null): string | null {
  if (!picture || picture.length > 2048) return null;
  try {
    return new URL(picture).protocol === 'https:' ? picture : null;
  } catch {
    return null;
  }
}

/** The user an identity signs into, linking or creating as described above. */
export async function userForIdentity(db: Db, identity: OidcIdentity): Promise<User> {
  try {
    return await findOrLink(db, identity);
  } catch (err) {
    // Two first sign-ins racing: one created the identity or the user; the other now finds it.
    if (isUniqueViolation(err)) return findOrLink(db, identity);
    throw err;
  }
}

async function findOrLink(db: Db, identity: OidcIdentity): Promise<User> {
  const { provider, issuer, subject } = identity;
  const email = identity.email ? normaliseEmail(identity.email) : null;
  const known = await db.userIdentity.findUnique({
    where: { issuer_subject: { issuer, subject } },
    include: { user: true },
  });
  if (known) {
    await db.userIdentity.update({ where: { id: known.id }, data: { email, lastUsedAt: new Date() } });
    return known.user;
  }
  if (!email) throw new AppError('oidc_email_unverified', 'The identity provider did not share an email address');
  if (!identity.emailVerified) throw new AppError('oidc_email_unverified');
  const byEmail = await db.user.findUnique({ where: { email } });
  if (byEmail) {
    await db.userIdentity.create({ data: { userId: byEmail.id, provider, issuer, subject, email } });
    if (!byEmail.avatarUrl && avatar(identity.picture)) {
      return db.user.update({ where: { id: byEmail.id }, data: { avatarUrl: avatar(identity.picture) } });
    }
    return byEmail;
  }
  const name = identity.name?.trim().slice(0, 255) || identity.username?.slice(0, 255) || email.split('@')[0] || email;
  return db.user.create({
    data: {
      email,
      name,
      avatarUrl: avatar(identity.picture),
      handle: await uniqueHandle(db, identity.username ?? email.split('@')[0] ?? name),
      identities: { create: { provider, issuer, subject, email } },
    },
  });
}
