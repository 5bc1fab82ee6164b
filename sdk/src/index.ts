// @ensemble/client: presence, cursors, locks and live Yjs documents for frontend apps.
export { EnsembleClient, type ClientEvents, type EnsembleClientOptions } from './client.ts';
export { LiveDocument, type DocumentEvents } from './document.ts';
export { EnsembleError } from './errors.ts';
export { DesignSystemRoom } from './room.ts';
export { fromBase64, toBase64 } from './base64.ts';
export type * from './types.ts';
