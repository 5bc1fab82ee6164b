// The rules of a component's fields, one zod schema each: REST bodies, socket field changes and live
// Yjs edits (src/services/documents/rules/component-rules.ts) are all checked with these.
import { z } from 'zod';

export const COMPONENT_STATUSES = ['draft', 'review', 'stable', 'deprecated'] as const;

/** Longest `code` or `docs` text, in characters. */
export const MAX_COMPONENT_TEXT = 500_000;

export const componentFields = {
  name: z.string().trim().min(1).max(255),
  category: z.string().trim().min(1).max(100),
  status: z.enum(COMPONENT_STATUSES),
  code: z.string().max(MAX_COMPONENT_TEXT),
  docs: z.string().max(MAX_COMPONENT_TEXT),
  /** Props: prop name → its JSON description (type, default, required, description, …). */
  props: z.record(z.string().min(1).max(100), z.json()),
};
