// The y-websocket wire format (y-protocols sync, awareness and auth messages over lib0 encoding)
// and the endpoint's close codes: what the rooms send, built in one place, and what clients send, read in one.
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import * as syncProtocol from 'y-protocols/sync';

export const MESSAGE_SYNC = 0;
export const MESSAGE_AWARENESS = 1;
export const MESSAGE_AUTH = 2;
export const MESSAGE_QUERY_AWARENESS = 3;

/** Close codes of the endpoint (docs/realtime.md). */
export const CLOSE_POLICY_VIOLATION = 1008;
export const CLOSE_SERVICE_RESTART = 1012;
export const CLOSE_TRY_AGAIN_LATER = 1013;
export const CLOSE_TOKEN_EXPIRED = 4401;
export const CLOSE_ACCESS_REVOKED = 4403;
export const CLOSE_GONE = 4410;
export const CLOSE_TOO_MANY_REFUSALS = 4429;

const encode = (write: (e: encoding.Encoder) => void): Uint8Array => {
  const e = encoding.createEncoder();
  write(e);
  return encoding.toUint8Array(e);
};

/** Sync step 1: the sender's state vector (the receiver answers with what the sender lacks). */
export const syncStep1 = (stateVector: Uint8Array): Uint8Array =>
  encode((e) => {
    encoding.writeVarUint(e, MESSAGE_SYNC);
    encoding.writeVarUint(e, syncProtocol.messageYjsSyncStep1);
    encoding.writeVarUint8Array(e, stateVector);
  });

/** Sync step 2: what the receiver lacks. */
export const syncStep2 = (update: Uint8Array): Uint8Array =>
  encode((e) => {
    encoding.writeVarUint(e, MESSAGE_SYNC);
    encoding.writeVarUint(e, syncProtocol.messageYjsSyncStep2);
    encoding.writeVarUint8Array(e, update);
  });

/** A document update. */
export const syncUpdate = (update: Uint8Array): Uint8Array =>
  encode((e) => {
    encoding.writeVarUint(e, MESSAGE_SYNC);
    syncProtocol.writeUpdate(e, update);
  });

/** y-protocols' auth message "permission denied", which stock providers hand to permissionDeniedHandler. */
export const permissionDenied = (reason: string): Uint8Array =>
  encode((e) => {
    encoding.writeVarUint(e, MESSAGE_AUTH);
    encoding.writeVarUint(e, 0);
    encoding.writeVarString(e, reason);
  });

/** An awareness message carrying an encoded awareness update. */
export const awarenessMessage = (update: Uint8Array): Uint8Array =>
  encode((e) => {
    encoding.writeVarUint(e, MESSAGE_AWARENESS);
    encoding.writeVarUint8Array(e, update);
  });

/** A client's message; the byte arrays are views into the received data, not copies. */
export type ClientMessage =
  | { type: 'step1'; stateVector: Uint8Array }
  | { type: 'update'; update: Uint8Array }
  | { type: 'awareness'; update: Uint8Array }
  | { type: 'query-awareness' }
  | { type: 'ignored' };

/** Decodes a client's message; throws on a malformed one (cut short, or an unknown sync step). */
export function readMessage(data: Uint8Array): ClientMessage {
  const decoder = decoding.createDecoder(data);
  const type = decoding.readVarUint(decoder);
  if (type === MESSAGE_SYNC) {
    const step = decoding.readVarUint(decoder);
    const payload = decoding.readVarUint8Array(decoder);
    if (step === syncProtocol.messageYjsSyncStep1) return { type: 'step1', stateVector: payload };
    if (step === syncProtocol.messageYjsSyncStep2 || step === syncProtocol.messageYjsUpdate)
      return { type: 'update', update: payload };
    throw new Error(`unknown sync step ${step}`);
  }
  if (type === MESSAGE_AWARENESS) return { type: 'awareness', update: decoding.readVarUint8Array(decoder) };
  if (type === MESSAGE_QUERY_AWARENESS) return { type: 'query-awareness' };
  // Auth messages (a client has nothing to say there) and types this server does not know.
  return { type: 'ignored' };
}
