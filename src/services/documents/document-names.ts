// Document names: `component:<componentId>` and `tokens:<designSystemId>`, always with the id in its
// canonical lower-case form. A name is parsed once where it enters (socket payload, /yjs path) and
// anything else is refused, so one document can never be opened under two spellings.
import { z } from 'zod';
import { AppError } from '../../utils/errors.ts';

export type DocumentKind = 'component' | 'tokens';

export interface DocumentName {
  kind: DocumentKind;
  /** The resource id (lower-case uuid). */
  id: string;
  /** The canonical name, `<kind>:<id>`. */
  name: string;
}

const PATTERN = /^(component|tokens):([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/;

/** Whether `name` is a canonical document name. */
export const isDocumentName = (name: string): boolean => PATTERN.test(name);

/** Parses a canonical document name, or throws `not_found` for anything else (upper-case ids included). */
export function parseDocumentName(name: string): DocumentName {
  const match = PATTERN.exec(name);
  if (!match) throw new AppError('not_found', 'No such document');
  return { kind: match[1] as DocumentKind, id: match[2] as string, name };
}

/** A document name in a client payload: refused with `validation_failed` unless canonical. */
export const documentNameSchema = z
  .string()
  .max(255)
  .refine(isDocumentName, { message: 'A document name is component:<id> or tokens:<designSystemId>, with the id in lower case' });

/** The document of a component. */
export const componentDoc = (componentId: string): string => `component:${componentId.toLowerCase()}`;

/** The tokens document of a design system. */
export const tokensDoc = (designSystemId: string): string => `tokens:${designSystemId.toLowerCase()}`;
