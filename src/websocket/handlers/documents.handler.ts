// Generic document sync for any document: doc-subscribe answers the full state (or the diff from
// a state vector) and everyone's awareness, doc-update goes both ways, doc-unsubscribe stops it
// (and removes the connection's awareness states). A subscription shows in the presence of the
// document's design system (`viewing`) when the connection joined it. Updates are acknowledged
// once durable; the others receive them through the fan-out, binary or base64 as each subscriber
// chose.
import { z } from 'zod';
import { documentNameSchema } from '../../services/documents/document-names.ts';
import { can } from '../../services/policy.ts';
import { AppError } from '../../utils/errors.ts';
import { on } from '../bind.ts';
import { refreshViewing } from '../room-presence.ts';
import { applyForSocket } from '../refusals.ts';
import { docRoom, UPDATE_ENCODINGS, type Hub, type HubSocket, type UpdateEncoding } from '../types.ts';
import { binaryOrBase64 } from './edits.handler.ts';

const docName = documentNameSchema;

/** Stops a connection's subscription to a document. */
export async function unsubscribeDocument(socket: HubSocket, hub: Hub, name: string): Promise<void> {
  const encoding = socket.data.docs.get(name);
  if (!encoding) return;
  socket.data.docs.delete(name);
  await socket.leave(docRoom(name, encoding));
  hub.awareness.leave(name, socket.id);
  const dsId = socket.data.docSystems.get(name);
  socket.data.docSystems.delete(name);
  if (dsId) await refreshViewing(hub, socket, dsId).catch(() => undefined);
  await hub.services.documents.retain(name, -1).catch(() => undefined);
}

/** Binary as it is, or base64 for connections that asked for it. */
export const encodeUpdate = (update: Uint8Array, encoding: UpdateEncoding): Uint8Array | string =>
  encoding === 'binary' ? update : Buffer.from(update.buffer, update.byteOffset, update.byteLength).toString('base64');

export const documentHandlers = {
  'doc-subscribe': on({
    schema: z.object({
      docName,
      stateVector: binaryOrBase64.optional(),
      encoding: z.enum(UPDATE_ENCODINGS).default('binary'),
    }),
    limit: 'default',
    maxBytes: 64 * 1024,
    async handle({ docName: name, stateVector, encoding }, socket, hub) {
      await hub.services.documents.authorize(socket.data.actor, name, 'read');
      // Another node may have died between making an update durable and announcing it.
      if (hub.clustered) await hub.services.documents.resync(name);
      const owner = await hub.services.documents.owner(name);
      // Join before reading the state: an update made in between is then relayed (and, if it is
      // also in the state, ignored by Yjs) instead of missed.
      const previous = socket.data.docs.get(name);
      if (previous !== encoding) {
        socket.data.docs.set(name, encoding);
        if (previous) await socket.leave(docRoom(name, previous));
        await socket.join(docRoom(name, encoding));
        if (!previous) await hub.services.documents.retain(name, 1);
      }
      hub.awareness.join(name, { id: socket.id, principal: socket.data.principal });
      if (!previous) {
        socket.data.docSystems.set(name, owner.designSystemId);
        await refreshViewing(hub, socket, owner.designSystemId);
      }
      const { update, stateVector: serverVector } = await hub.services.documents.syncState(
        name,
        socket.data.actor,
        stateVector,
      );
      return {
        docName: name,
        state: encodeUpdate(update, encoding),
        stateVector: encodeUpdate(serverVector, encoding),
        readOnly: !can(socket.data.actor, 'designSystem:write', owner),
        awareness: Buffer.from(hub.awareness.snapshot(name)).toString('base64'),
      };
    },
  }),

  'doc-update': on({
    schema: z.object({ docName, update: binaryOrBase64 }),
    limit: 'edit',
    maxBytes: 'update',
    async handle({ docName: name, update }, socket, hub) {
      await applyForSocket(socket, name, () =>
        hub.services.documents.applyUpdate(name, update, {
          actor: socket.data.actor,
          source: 'socket',
          connectionId: socket.id,
        }),
      );
    },
  }),

  'doc-unsubscribe': on({
    schema: z.object({ docName }),
    limit: 'default',
    maxBytes: 1024,
    async handle({ docName: name }, socket, hub) {
      if (!socket.data.docs.has(name)) throw new AppError('not_joined', 'Not subscribed to this document');
      await unsubscribeDocument(socket, hub, name);
    },
  }),
};
