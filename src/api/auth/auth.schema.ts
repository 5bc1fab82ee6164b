// Request bodies of /api/auth.
import { z } from 'zod';

export const RegisterBody = z.object({
  email: z.email().max(255),
  password: z.string().min(1).max(256),
  name: z.string().trim().min(1).max(255),
});

export const LoginBody = z.object({
  email: z.email().max(255),
  password: z.string().min(1).max(256),
});

export const RefreshBody = z.object({ refreshToken: z.string().min(1).max(512) });

export const ExchangeBody = z.object({ code: z.string().min(1).max(256) });

export const GithubStartQuery = z.object({
  /** Where the browser goes after sign-in, with `?code=…`: a path here or a URL on an app origin (AUTH_REDIRECT_ORIGINS). */
  redirect: z.string().min(1).max(2048).optional(),
});

/** Deleting an account is confirmed by typing one's email address. */
export const DeleteAccountBody = z.object({ confirmEmail: z.string().min(1).max(255) });
