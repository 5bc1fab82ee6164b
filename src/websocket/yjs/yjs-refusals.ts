// What a y-websocket sender hears when its message is not taken, as refusals.ts does for Socket.IO.
// A message over budget is dropped, counted and logged (one line per connection and reason per 10 s,
// without a stack); enough strikes close the connection.
// A refusal is compensated by the service (the pair reaches this client like any update) and
// explained with y-protocols' permission-denied message (throttled; too many close with 4429); a
// missing dependency asks the client for its whole state; a store failure closes the connection
// (1013), so the provider shows it is not synced, reconnects and sends again what the server lacks.
import type { Logger } from 'pino';
import { toPublicError } from '../../utils/error-mapper.ts';
import { REFUSAL_CODES } from '../refusal-tally.ts';
import { CLOSE_GONE, CLOSE_TOO_MANY_REFUSALS, CLOSE_TRY_AGAIN_LATER, permissionDenied } from './protocol.ts';
import type { YConnection } from './yjs-connection.ts';

export interface YjsReplies {
  send(conn: YConnection, message: Uint8Array): void;
  requestSync(conn: YConnection): Promise<void>;
  logger: Logger;
}

/** Applies a client's update for `conn`, answering a refusal or failure as above; never throws. */
export async function applyForYjs(
  conn: YConnection,
  name: string,
  apply: () => Promise<void>,
  replies: YjsReplies,
): Promise<void> {
  try {
    await apply();
  } catch (err) {
    const { code, message, status } = toPublicError(err);
    if (code === 'resync_required') return void (await replies.requestSync(conn).catch(() => undefined));
    if (REFUSAL_CODES.has(code)) {
      const { tell, disconnect } = conn.refusals.record(name, code);
      if (tell) replies.send(conn, permissionDenied(`${code}: ${message}`));
      if (disconnect) conn.ws.close(CLOSE_TOO_MANY_REFUSALS, 'too many refused updates');
      return;
    }
    replies.send(conn, permissionDenied(`${code}: ${message}`));
    if (code === 'not_found') conn.ws.close(CLOSE_GONE, 'document deleted');
    else conn.ws.close(CLOSE_TRY_AGAIN_LATER, code);
    if (status >= 500 && code !== 'service_unavailable')
      replies.logger.error({ err, document: name }, 'y-websocket update failed');
  }
}

/**
 * Counts a dropped message of `conn` (a strike unless `strike` is false) and logs it; returns whether
 * the connection struck out and is to be closed.
 */
export function countDropped(
  conn: YConnection,
  name: string,
  reason: string,
  logger: Logger,
  err?: unknown,
  strike = true,
): boolean {
  const count = conn.budget.report(reason);
  if (count !== null) {
    const error = err instanceof Error ? err.message : undefined;
    logger.warn(
      { document: name, connection: conn.id, principal: conn.principal, reason, dropped: count, error },
      'y-websocket messages dropped',
    );
  }
  if (!strike || !conn.budget.strike() || conn.ws.readyState !== conn.ws.OPEN) return false;
  logger.warn(
    { document: name, connection: conn.id, principal: conn.principal },
    'y-websocket connection closed: too many messages over budget',
  );
  return true;
}
