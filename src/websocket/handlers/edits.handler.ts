// component-update / token-update: a Yjs update (binary) or field changes, applied through the
// services (DocumentService underneath). The others hear component-changed / token-changed once,
// from the event bus (broadcast.ts).
import { z } from 'zod';
import { componentFields } from '../../services/components/component-fields.ts';
import { componentDoc, tokensDoc } from '../../services/documents/document-names.ts';
import type { Token } from '../../services/tokens/token.types.ts';
import { on } from '../bind.ts';
import { applyForSocket } from '../refusals.ts';
import { componentRoom } from './locks.handler.ts';
import { joinedDesignSystem } from './rooms.handler.ts';

/** A binary Yjs update (Socket.IO delivers Buffers; any ArrayBuffer view is accepted). */
export const binary = z
  .custom<Uint8Array>((v) => ArrayBuffer.isView(v), { message: 'Expected a binary Yjs update' })
  .transform((v) => new Uint8Array(v.buffer, v.byteOffset, v.byteLength));

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/** A Yjs update or state vector, binary or as a (padded) base64 string: one check, no union. */
export const binaryOrBase64 = z
  .custom<ArrayBufferView | string>(
    (v) => ArrayBuffer.isView(v) || (typeof v === 'string' && v.length % 4 === 0 && BASE64.test(v)),
    {
      message: 'Expected a Yjs update: binary, or a base64 string',
    },
  )
  .transform(
    (v): Uint8Array =>
      typeof v === 'string' ? Buffer.from(v, 'base64') : new Uint8Array(v.buffer, v.byteOffset, v.byteLength),
  );

const componentChanges = z
  .object({
    name: componentFields.name.optional(),
    category: componentFields.category.optional(),
    status: componentFields.status.optional(),
    code: componentFields.code.optional(),
    documentation: componentFields.docs.optional(),
    props: componentFields.props.optional(),
  })
  .strict();

const tokenFields = z
  .object({
    $value: z.json().optional(),
    $type: z.string().max(50).nullable().optional(),
    $description: z.string().max(2000).nullable().optional(),
    $extensions: z.record(z.string(), z.json()).nullable().optional(),
  })
  .strict();

export const editHandlers = {
  'component-update': on({
    schema: z.object({ componentId: z.uuid(), changes: z.union([binary, componentChanges]) }),
    limit: 'edit',
    maxBytes: 'update',
    async handle({ componentId, changes }, socket, hub) {
      const { dsId } = await componentRoom(socket, hub, componentId);
      const actor = socket.data.actor;
      if (changes instanceof Uint8Array) {
        await applyForSocket(socket, componentDoc(componentId), () =>
          hub.services.components.applyLiveUpdate(actor, componentId, changes, socket.id),
        );
      } else {
        const { documentation, ...rest } = changes;
        await hub.services.components.update(actor, dsId, componentId, {
          ...rest,
          ...(documentation !== undefined ? { docs: documentation } : {}),
        });
      }
    },
  }),

  'token-update': on({
    schema: z.object({
      tokenId: z.string().min(1).max(400),
      changes: z.union([binary, tokenFields]),
      /** The field values the sender last saw, to detect a concurrent overwrite. */
      base: z.record(z.string(), z.json()).optional(),
      designSystemId: z.uuid().optional(),
    }),
    limit: 'edit',
    maxBytes: 'update',
    async handle({ tokenId, changes, base, designSystemId }, socket, hub) {
      const dsId = joinedDesignSystem(socket, designSystemId);
      const actor = socket.data.actor;
      if (changes instanceof Uint8Array) {
        await applyForSocket(socket, tokensDoc(dsId), () =>
          hub.services.tokens.applyLiveUpdate(actor, dsId, tokenId, changes, socket.id),
        );
      } else {
        await hub.services.tokens.updateWithConflicts(actor, dsId, tokenId, changes as Partial<Token>, base);
      }
    },
  }),
};
