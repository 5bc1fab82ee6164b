// Request shapes of /api/design-systems/:dsId/components.
import { z } from 'zod';
import { componentFields } from '../../services/components/component-fields.ts';
import { PageQuery } from '../pagination.schema.ts';

const { name, category, status, code, docs, props } = componentFields;

export const DsParams = z.object({ dsId: z.uuid() });
export const ComponentParams = z.object({ dsId: z.uuid(), id: z.uuid() });
export const VersionParams = ComponentParams.extend({ version: z.coerce.number().int().min(1) });
export const DiffParams = ComponentParams.extend({
  a: z.coerce.number().int().min(1),
  b: z.coerce.number().int().min(1),
});

export const CreateComponentBody = z.object({
  name,
  category,
  status: status.optional(),
  code: code.optional(),
  documentation: docs.optional(),
  props: props.optional(),
});

export const UpdateComponentBody = z
  .object({
    name: name.optional(),
    category: category.optional(),
    status: status.optional(),
    code: code.optional(),
    documentation: docs.optional(),
    props: props.optional(),
    /** The version the change was made on; a stale one is a 409 (same as `If-Match`). */
    version: z.number().int().min(1).optional(),
    /** Also save the result as a named version. */
    saveVersion: z.object({ message: z.string().max(2000).optional() }).optional(),
  })
  .refine((b) => ['name', 'category', 'status', 'code', 'documentation', 'props'].some((k) => k in b), {
    message: 'Give at least one field to change',
  });

export const ListComponentsQuery = PageQuery.extend({
  q: z.string().max(255).optional(),
  category: z.string().max(100).optional(),
  status: status.optional(),
});

export const SaveVersionBody = z.object({ message: z.string().max(2000).optional() });

export const GenerateBody = z.object({
  prompt: z.string().trim().min(3).max(4000),
  name: z
    .string()
    .regex(/^[A-Z][A-Za-z0-9]{0,63}$/, 'a PascalCase component name')
    .optional(),
  category: z.string().trim().min(1).max(100).optional(),
  referenceComponentId: z.uuid().optional(),
  figmaUrl: z
    .url()
    .regex(/^https:\/\/(www\.)?figma\.com\//, 'a figma.com URL')
    .optional(),
});
