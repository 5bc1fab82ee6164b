// Password hashing (argon2id) and the password rules.
import argon2 from 'argon2';
import { AppError, type ErrorDetail } from '../../utils/errors.ts';

export interface PasswordHasher {
  hash(password: string): Promise<string>;
  verify(hash: string, password: string): Promise<boolean>;
}

/** argon2id with OWASP's baseline parameters (memory configurable for tests and small machines). */
export function createPasswordHasher(memoryKib: number): PasswordHasher {
  const options = { type: argon2.argon2id as 2, memoryCost: memoryKib, timeCost: 2, parallelism: 1 };
  return {
    hash: (password) => argon2.hash(password, options),
    verify: async (hash, password) => {
      try {
        return await argon2.verify(hash, password);
      } catch {
        return false;
      }
    },
  };
}

/** Rejects passwords that are too short or that are the email (or its local part). */
export function checkPasswordRules(password: string, email: string): void {
  const lower = password.toLowerCase();
  const problems: ErrorDetail[] = [];
  if (password.length < 10) {
    problems.push({ path: 'password', code: 'too_small', message: 'Password must be at least 10 characters' });
  }
  const local = email.toLowerCase().split('@')[0] ?? '';
  if (lower === email.toLowerCase() || (local.length >= 3 && lower === local)) {
    problems.push({ path: 'password', code: 'password_is_email', message: 'Password must not be your email address' });
  }
  if (problems.length) throw new AppError('validation_failed', 'The password does not meet the rules', problems);
}
