// Session → API JSON: the user and the token pair.
import { presentUser } from '../../models/presenters/user.presenter.ts';
import type { Session } from '../../services/auth/auth.service.ts';

/** The body of register, login, refresh and code exchange. */
export function presentSession(session: Session, accessTtlSeconds: number) {
  return {
    user: presentUser(session.user),
    accessToken: session.accessToken,
    refreshToken: session.refreshToken,
    tokenType: 'Bearer',
    expiresIn: accessTtlSeconds,
  };
}
