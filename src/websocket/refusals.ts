// What a Socket.IO sender hears when its document update is refused: the ack carries the error;
// a typed `update-refused` event (throttled) tells listeners such as the SDK; a connection refused
// too often is told with `error` and disconnected. The compensation itself reaches it as a
// doc-update, before the ack.
import { toPublicError } from '../utils/error-mapper.ts';
import { REFUSAL_CODES } from './refusal-tally.ts';
import type { HubSocket } from './types.ts';

/** Applies a document update for a socket, telling it why when it is refused; rethrows for the ack. */
export async function applyForSocket(socket: HubSocket, name: string, apply: () => Promise<void>): Promise<void> {
  try {
    await apply();
  } catch (err) {
    const { code, message, details } = toPublicError(err);
    if (REFUSAL_CODES.has(code)) {
      const { tell, disconnect } = socket.data.refusals.record(name, code);
      if (tell)
        socket.emit('update-refused', { docName: name, code, message, ...(details === undefined ? {} : { details }) });
      if (disconnect) {
        socket.emit('error', {
          code: 'too_many_refusals',
          message: 'Too many refused document updates; disconnecting',
        });
        setImmediate(() => socket.disconnect(true));
      }
    }
    throw err;
  }
}
