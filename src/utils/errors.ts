// The one error table: every failure a client can see has a code, an HTTP status and a safe message.
// Services throw AppError; src/middleware/error-handler.ts and the socket ack mapper present it.

export const ERRORS = {
  validation_failed: { status: 400, message: 'The request is invalid' },
  invalid_json: { status: 400, message: 'The request body is not valid JSON' },
  invalid_update: { status: 400, message: 'The document update is malformed' },
  unauthenticated: { status: 401, message: 'Authentication is required' },
  invalid_token: { status: 401, message: 'The access token is invalid or expired' },
  invalid_credentials: { status: 401, message: 'Email or password is incorrect' },
  invalid_refresh_token: { status: 401, message: 'The refresh token is invalid, expired or revoked' },
  refresh_token_reused: { status: 401, message: 'The refresh token was already used; the session has been revoked' },
  invalid_code: { status: 401, message: 'The sign-in code is invalid or expired' },
  invalid_webhook_signature: {
    status: 401,
    message: 'The webhook signature (X-Hub-Signature-256) does not match the body',
  },
  oauth_failed: { status: 401, message: 'Sign-in with the identity provider failed' },
  oidc_state_invalid: {
    status: 401,
    message: 'The sign-in state is missing, expired or does not match this browser; start the sign-in again',
  },
  oidc_denied: { status: 401, message: 'The identity provider did not authorise the sign-in' },
  oidc_code_rejected: {
    status: 401,
    message: 'The identity provider refused the authorisation code or its PKCE verifier',
  },
  oidc_token_invalid: {
    status: 401,
    message: 'The ID token could not be verified (signature, issuer, audience or expiry)',
  },
  oidc_nonce_mismatch: { status: 401, message: 'The ID token was not issued for this sign-in (nonce mismatch)' },
  oidc_email_unverified: {
    status: 403,
    message: 'The identity provider did not report a verified email address for this account',
  },
  oidc_domain_not_allowed: {
    status: 403,
    message: "This provider signs in accounts of the organisation's email domains only",
  },
  forbidden: { status: 403, message: 'You do not have permission to do this' },
  insufficient_scope: { status: 403, message: 'The API key does not have the scope this needs' },
  user_required: { status: 403, message: 'This needs a signed-in user, not an API key' },
  invalid_signature: { status: 403, message: 'The signed URL is not valid: it was altered or is for another resource' },
  signed_url_expired: { status: 403, message: 'The signed URL has expired; ask for a new one' },
  invalid_unsubscribe_link: {
    status: 403,
    message: 'The unsubscribe link is not valid: it was altered or is not from this server',
  },
  not_found: { status: 404, message: 'Not found' },
  oidc_provider_unknown: { status: 404, message: 'No OpenID Connect provider of this name is configured' },
  main_protected: {
    status: 403,
    message: 'Main is protected: only admins write it directly; change a branch and merge it',
  },
  route_not_found: { status: 404, message: 'No such endpoint' },
  conflict: { status: 409, message: 'The resource was changed by someone else' },
  email_taken: { status: 409, message: 'An account with this email already exists' },
  slug_taken: { status: 409, message: 'This slug is already in use' },
  already_member: { status: 409, message: 'The user is already a member of this team' },
  last_owner: { status: 409, message: 'A team needs at least one owner' },
  not_joined: { status: 409, message: 'Join the design system first' },
  branch_name_taken: { status: 409, message: 'A branch with this name already exists in the design system' },
  branch_read_only: { status: 409, message: 'The branch was merged or closed and is read-only' },
  branch_has_branches: { status: 409, message: 'Branches were forked from this branch: delete them first' },
  merge_conflicts: { status: 409, message: 'The branch conflicts with main; send a resolution for every conflict' },
  merge_rule_violation: {
    status: 409,
    message: 'Merged, the branch would break a rule of its target (details list each document and error)',
  },
  approvals_required: { status: 409, message: 'The merge request does not have the approvals the team requires' },
  resync_required: {
    status: 409,
    message: 'The update depends on changes the server does not have; send your whole state again',
  },
  length_required: { status: 411, message: 'Send the upload with a Content-Length' },
  payload_too_large: { status: 413, message: 'The request body is too large' },
  update_too_large: { status: 413, message: 'The document update is too large' },
  unsupported_media_type: { status: 415, message: 'The content type is not supported' },
  unprocessable: { status: 422, message: 'The request could not be processed' },
  github_token_rejected: { status: 422, message: 'GitHub refused the token or its permissions' },
  github_repo_not_found: {
    status: 422,
    message: 'GitHub has no such repository or branch, or the token cannot see it',
  },
  figma_not_connected: {
    status: 422,
    message: 'Set your Figma personal access token first (PUT /api/users/me/figma)',
  },
  figma_token_rejected: { status: 422, message: 'Figma refused the token, its scopes or its access to the file' },
  figma_file_not_found: { status: 422, message: 'Figma has no such file or node, or the token cannot open it' },
  invalid_tokens: { status: 422, message: 'The tokens have problems; nothing was written' },
  token_name_collision: { status: 422, message: 'Two tokens would get the same name on this platform' },
  unknown_mode: { status: 422, message: 'The design system has no such mode' },
  locked: { status: 423, message: 'The resource is locked by another user' },
  rate_limited: { status: 429, message: 'Too many requests; slow down' },
  not_configured: { status: 501, message: 'This feature is not configured on this server' },
  service_unavailable: { status: 503, message: 'A backing service is unavailable' },
  github_rate_limited: { status: 503, message: 'GitHub rate-limited the request; try again after Retry-After' },
  github_unavailable: { status: 502, message: 'GitHub could not be reached or answered with an error' },
  oidc_provider_unavailable: {
    status: 503,
    message: 'The identity provider could not be reached or answered with an error; try again later',
  },
  figma_rate_limited: { status: 503, message: 'Figma rate-limited the request; try again after Retry-After' },
  figma_unavailable: { status: 503, message: 'Figma could not be reached or answered with an error' },
  internal: { status: 500, message: 'Something went wrong on our side' },
} as const satisfies Record<string, { status: number; message: string }>;

export type ErrorCode = keyof typeof ERRORS;

/** One problem inside a validation error: where, what kind, and a readable message. */
export interface ErrorDetail {
  path: string;
  code: string;
  message: string;
}

/** An error meant for the client: code from the table, optional safer-than-default message and details. */
export class AppError extends Error {
  readonly code: ErrorCode;
  readonly details: unknown;
  readonly headers: Record<string, string>;

  constructor(code: ErrorCode, message?: string, details?: unknown, headers: Record<string, string> = {}) {
    super(message ?? ERRORS[code].message);
    this.name = 'AppError';
    this.code = code;
    this.details = details;
    this.headers = headers;
  }

  get status(): number {
    return ERRORS[this.code].status;
  }
}

/** Shorthand for the uniform 404 that also hides other teams' resources. */
export const notFound = (what = 'Not found'): AppError => new AppError('not_found', what);
