// OpenID Connect providers from the environment: `OIDC_PROVIDERS=google,acme` names them, and each
// name's `OIDC_<NAME>_*` variables describe it. Read only by config.ts (the one reader of process.env).
import { z } from 'zod';

/** Where Google's discovery document lives; `google` needs no issuer of its own. */
export const GOOGLE_ISSUER = 'https://accounts.google.com';

/** One configured OpenID Connect provider. */
export interface OidcProviderConfig {
  /** The name in `OIDC_PROVIDERS` and in `/api/auth/oidc/:provider`. */
  name: string;
  /** Shown on sign-in buttons. */
  label: string;
  /** The issuer; its discovery document is `<issuer>/.well-known/openid-configuration`. */
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** Always includes `openid`. */
  scopes: string[];
  /**
   * Email domains allowed to sign in through this provider (an enterprise's SSO: `acme.com`), in
   * lower case; empty: any. Checked on every sign-in, against the provider's verified email.
   */
  allowedDomains: string[];
}

/** Provider names: lower-case, usable in a URL path and in a variable name. */
export const OIDC_NAME = /^[a-z][a-z0-9_]{0,31}$/;

const ProviderEnv = z.object({
  // user_identities.issuer holds 512 characters.
  ISSUER: z
    .url()
    .max(512)
    .refine((u) => /^https?:\/\//.test(u), 'must be an http(s) URL'),
  CLIENT_ID: z.string().min(1),
  CLIENT_SECRET: z.string().min(1),
  SCOPES: z
    .string()
    .regex(/^[\x21\x23-\x5b\x5d-\x7e]+( [\x21\x23-\x5b\x5d-\x7e]+)*$/, 'space-separated OAuth scopes')
    .default('openid email profile'),
  LABEL: z.string().min(1).max(64).optional(),
  ALLOWED_DOMAINS: z
    .string()
    .regex(
      /^[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+(?:,[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+)*$/,
      'comma-separated email domains, e.g. acme.com,acme.io',
    )
    .optional(),
});

/** The variable names a provider reads, for docs and for the unknown-variable check. */
export const oidcVariables = (name: string): string[] =>
  Object.keys(ProviderEnv.shape).map((key) => `OIDC_${name.toUpperCase()}_${key}`);

const defaultLabel = (name: string) =>
  name === 'google'
    ? 'Google'
    : name.replace(/(^|_)([a-z])/g, (_m, sep: string, c: string) => `${sep ? ' ' : ''}${c.toUpperCase()}`);

/** Parses every named provider's variables; returns the providers or the problems, each naming its variable. */
export function parseOidcProviders(
  env: Record<string, string | undefined>,
  names: readonly string[],
): { providers: OidcProviderConfig[]; problems: string[] } {
  const providers: OidcProviderConfig[] = [];
  const problems: string[] = [];
  for (const name of new Set(names)) {
    if (!OIDC_NAME.test(name)) {
      problems.push(`OIDC_PROVIDERS: "${name}" is not a provider name (a-z, 0-9, _; starting with a letter)`);
      continue;
    }
    const prefix = `OIDC_${name.toUpperCase()}_`;
    const raw = Object.fromEntries(
      Object.keys(ProviderEnv.shape).map((key) => [key, env[`${prefix}${key}`] || undefined]),
    );
    if (name === 'google') raw.ISSUER ??= GOOGLE_ISSUER;
    const parsed = ProviderEnv.safeParse(raw);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) problems.push(`${prefix}${issue.path.join('.')}: ${issue.message}`);
      continue;
    }
    const { ISSUER, CLIENT_ID, CLIENT_SECRET, SCOPES, LABEL, ALLOWED_DOMAINS } = parsed.data;
    const scopes = SCOPES.split(' ');
    providers.push({
      name,
      label: LABEL ?? defaultLabel(name),
      // Kept as written: it is compared byte for byte with the discovery document's and tokens' `iss`.
      issuer: ISSUER,
      clientId: CLIENT_ID,
      clientSecret: CLIENT_SECRET,
      scopes: scopes.includes('openid') ? scopes : ['openid', ...scopes],
      allowedDomains: ALLOWED_DOMAINS ? ALLOWED_DOMAINS.toLowerCase().split(',') : [],
    });
  }
  return { providers, problems };
}
