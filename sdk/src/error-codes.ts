// Every code an EnsembleError can carry: the server's error table (src/utils/errors.ts; a test keeps
// the two equal) and the few the client itself gives.

export const SERVER_ERROR_CODES = [
  'validation_failed',
  'invalid_json',
  'invalid_update',
  'unauthenticated',
  'invalid_token',
  'invalid_credentials',
  'invalid_refresh_token',
  'refresh_token_reused',
  'invalid_code',
  'invalid_webhook_signature',
  'oauth_failed',
  'oidc_state_invalid',
  'oidc_denied',
  'oidc_code_rejected',
  'oidc_token_invalid',
  'oidc_nonce_mismatch',
  'oidc_email_unverified',
  'oidc_domain_not_allowed',
  'forbidden',
  'insufficient_scope',
  'user_required',
  'invalid_signature',
  'signed_url_expired',
  'invalid_unsubscribe_link',
  'not_found',
  'oidc_provider_unknown',
  'main_protected',
  'route_not_found',
  'conflict',
  'email_taken',
  'slug_taken',
  'already_member',
  'last_owner',
  'not_joined',
  'branch_name_taken',
  'branch_read_only',
  'branch_has_branches',
  'merge_conflicts',
  'merge_rule_violation',
  'approvals_required',
  'resync_required',
  'length_required',
  'payload_too_large',
  'update_too_large',
  'unsupported_media_type',
  'unprocessable',
  'github_token_rejected',
  'github_repo_not_found',
  'figma_not_connected',
  'figma_token_rejected',
  'figma_file_not_found',
  'invalid_tokens',
  'token_name_collision',
  'unknown_mode',
  'locked',
  'rate_limited',
  'not_configured',
  'service_unavailable',
  'github_rate_limited',
  'github_unavailable',
  'figma_rate_limited',
  'figma_unavailable',
  'oidc_provider_unavailable',
  'internal',
] as const;

/** Reasons the server gives when it ends a connection or a room membership on purpose. */
export const SESSION_ERROR_CODES = [
  'token_expired',
  'session_revoked',
  'credential_revoked',
  'too_many_refusals',
  'access_revoked',
] as const;

/** Codes the client gives: no answer in time, a failure on this side, a code this SDK does not know. */
export const CLIENT_ERROR_CODES = ['timeout', 'client_error', 'server_error'] as const;

export type ServerErrorCode = (typeof SERVER_ERROR_CODES)[number];
export type ErrorCode = ServerErrorCode | (typeof SESSION_ERROR_CODES)[number] | (typeof CLIENT_ERROR_CODES)[number];

const KNOWN = new Set<string>([...SERVER_ERROR_CODES, ...SESSION_ERROR_CODES, ...CLIENT_ERROR_CODES]);

/** A code from the wire as an ErrorCode (`server_error` for one this SDK does not know). */
export const toErrorCode = (code: unknown): ErrorCode =>
  typeof code === 'string' && KNOWN.has(code) ? (code as ErrorCode) : 'server_error';
