// Password hashing (argon2id) and the password rules (length, not the email, and a zxcvbn strength
// estimate against its bundled common-password lists).
import { ZxcvbnFactory } from '@zxcvbn-ts/core';
import * as common from '@zxcvbn-ts/language-common';
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

/** The least zxcvbn score (0–4) a password needs: 3 is "safely unguessable: moderate protection from offline attacks". */
const MIN_STRENGTH = 3;
let estimator: ZxcvbnFactory | null = null;

/**
 * How guessable a password is, by zxcvbn (its bundled lists of common passwords, names and words,
 * keyboard patterns, dates and repeats; nothing leaves the process). The dictionaries load once.
 */
function strengthOf(password: string, userInputs: string[]): { score: number; warning: string | null } {
  estimator ??= new ZxcvbnFactory({ graphs: common.adjacencyGraphs, dictionary: { ...common.dictionary } });
  const result = estimator.check(password, userInputs);
  return { score: result.score, warning: result.feedback.warning };
}

/** Rejects passwords that are too short, too guessable, or the email (or its local part). */
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
  if (!problems.length) {
    const { score, warning } = strengthOf(password.slice(0, 100), [email, local]);
    if (score < MIN_STRENGTH) {
      problems.push({
        path: 'password',
        code: 'password_too_weak',
        message: `Password is too easy to guess${warning ? ` (${warning})` : ''}: use a few unrelated words or more varied characters`,
      });
    }
  }
  if (problems.length) throw new AppError('validation_failed', 'The password does not meet the rules', problems);
}
