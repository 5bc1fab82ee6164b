// The y-websocket wire format (y-protocols sync, awareness and auth messages over lib0 encoding)
// and the endpoint's close codes: what the rooms send, built in one place.
import * as encoding from 'lib0/encoding';
import * as awarenessProtocol from 'y-protocols/awareness';
import * as syncProtocol from 'y-protocols/sync';

export const MESSAGE_SYNC = 0;
export const MESSAGE_AWARENESS = 1;
export const MESSAGE_AUTH = 2;
export const MESSAGE_QUERY_AWARENESS = 3;

/** Close codes of the endpoint (docs/realtime.md). */
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

/** The awareness states of `clients`. */
export const awarenessMessage = (awareness: awarenessProtocol.Awareness, clients: number[]): Uint8Array =>
  encode((e) => {
    encoding.writeVarUint(e, MESSAGE_AWARENESS);
    encoding.writeVarUint8Array(e, awarenessProtocol.encodeAwarenessUpdate(awareness, clients));
  });
