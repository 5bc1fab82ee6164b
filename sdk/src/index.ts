// @ensemble/client: presence, cursors, locks, comments and live Yjs documents for frontend apps.
export { EnsembleClient, type ClientEvents, type EnsembleClientOptions } from './client.ts';
export { LiveDocument, type DocumentEvents } from './document.ts';
export { EnsembleError } from './errors.ts';
export {
  CLIENT_ERROR_CODES,
  SERVER_ERROR_CODES,
  SESSION_ERROR_CODES,
  type ErrorCode,
  type ServerErrorCode,
} from './error-codes.ts';
export { DesignSystemRoom } from './room.ts';
export { createTokenRefresher, type TokenPair, type TokenRefresherOptions } from './tokens.ts';
export type { RequestOptions, TokenRequest, TokenSource } from './rest.ts';
export { fromBase64, toBase64 } from './base64.ts';
export type * from './types.ts';
