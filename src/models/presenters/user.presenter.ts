// Row → API JSON for users. Never exposes password hashes or provider ids.
import type { User } from '../db.ts';

export interface UserJson {
  id: string;
  email: string;
  name: string;
  handle: string | null;
  avatarUrl: string | null;
  createdAt: string;
}

/** The public view of a user. */
export function presentUser(user: User): UserJson {
  return {
    id: user.id,
    email: user.email,
    name: user.name,
    handle: user.handle,
    avatarUrl: user.avatarUrl,
    createdAt: user.createdAt.toISOString(),
  };
}
