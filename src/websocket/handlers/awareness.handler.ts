// doc-awareness both ways: a subscriber sets the y-protocols awareness states it holds (carets,
// selections, names) in the document's one Awareness, shared with /yjs providers and other nodes;
// every change reaches the other subscribers of the document here as `doc-awareness`, base64.
import { z } from 'zod';
import { documentNameSchema } from '../../services/documents/document-names.ts';
import { AppError } from '../../utils/errors.ts';
import { on } from '../bind.ts';
import { MAX_AWARENESS_STATE_CHARS } from '../doc-awareness.ts';
import { docRoom, UPDATE_ENCODINGS, type Hub, type HubSocket } from '../types.ts';
import { readAwarenessUpdate, type AwarenessEntry } from '../yjs/awareness-claims.ts';

/** A few states at the largest size, in base64. */
const MAX_UPDATE_BYTES = 4 * Math.ceil((MAX_AWARENESS_STATE_CHARS * 4) / 3) + 1024;

/** Decodes a client's awareness update, or says precisely why it cannot be used. */
function decode(update: Uint8Array): AwarenessEntry[] {
  let read: { entries: AwarenessEntry[]; oversize: number };
  try {
    read = readAwarenessUpdate(update, MAX_AWARENESS_STATE_CHARS);
  } catch (err) {
    const why = err instanceof Error ? err.message : String(err);
    throw new AppError('invalid_update', `The awareness update is malformed (${why})`);
  }
  if (read.oversize)
    throw new AppError(
      'payload_too_large',
      `An awareness state is limited to ${MAX_AWARENESS_STATE_CHARS} characters of JSON`,
    );
  return read.entries;
}

/** Relays every awareness change to this node's subscribers of the document, but the one it came from. */
export function startAwarenessFanout(hub: Hub): () => void {
  const sockets = hub.io.of('/');
  return hub.awareness.onChange((name, update, from) => {
    let payload: { docName: string; update: string } | null = null;
    for (const encoding of UPDATE_ENCODINGS) {
      for (const id of sockets.adapter.rooms.get(docRoom(name, encoding)) ?? []) {
        const socket = sockets.sockets.get(id) as HubSocket | undefined;
        // One that fell behind gets every state again with its resync (doc-subscribe).
        if (id === from || !socket || socket.data.behind?.has(name)) continue;
        payload ??= { docName: name, update: Buffer.from(update).toString('base64') };
        socket.emit('doc-awareness', payload);
      }
    }
  });
}

export const awarenessHandlers = {
  'doc-awareness': on({
    schema: z.object({ docName: documentNameSchema, update: z.base64() }),
    limit: 'cursor',
    maxBytes: MAX_UPDATE_BYTES,
    handle({ docName: name, update }, socket, hub) {
      if (!socket.data.docs.has(name)) throw new AppError('not_joined', 'Not subscribed to this document');
      const bytes = new Uint8Array(Buffer.from(update, 'base64'));
      hub.awareness.apply(name, socket.id, decode(bytes), bytes);
    },
  }),
};
