// Sign-in with GitHub: finds the user by GitHub id, else links the account with the same verified
// email, else creates one. The transport (passport) lives in src/api/auth/github.ts.
import type { Db, User } from '../../models/db.ts';
import { AppError } from '../../utils/errors.ts';
import { uniqueHandle } from '../users/handles.ts';
import { normaliseEmail } from './auth.service.ts';

export interface GithubProfile {
  id: string;
  login: string;
  name: string | null;
  avatarUrl: string | null;
  /** Verified emails, primary first. */
  emails: string[];
}

/** Maps GitHub identities to Ensemble users. */
export class GithubSignIn {
  private readonly db: Db;

  constructor(db: Db) {
    this.db = db;
  }

  /** The user for a GitHub profile, created or linked as needed. */
  async userFor(profile: GithubProfile): Promise<User> {
    const existing = await this.db.user.findUnique({ where: { githubId: profile.id } });
    if (existing) return existing;
    const email = profile.emails[0] ? normaliseEmail(profile.emails[0]) : null;
    if (!email) throw new AppError('oauth_failed', 'GitHub did not share a verified email address');
    const byEmail = await this.db.user.findUnique({ where: { email } });
    if (byEmail) {
      return this.db.user.update({
        where: { id: byEmail.id },
        data: { githubId: profile.id, avatarUrl: byEmail.avatarUrl ?? profile.avatarUrl },
      });
    }
    return this.db.user.create({
      data: {
        email,
        name: profile.name ?? profile.login,
        githubId: profile.id,
        avatarUrl: profile.avatarUrl,
        handle: await uniqueHandle(this.db, profile.login),
      },
    });
  }
}
