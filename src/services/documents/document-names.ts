// Document names: `component:<componentId>` and `tokens:<designSystemId>`.
import { AppError } from '../../utils/errors.ts';

export type DocumentKind = 'component' | 'tokens';

export interface DocumentName {
  kind: DocumentKind;
  id: string;
}

const PATTERN = /^(component|tokens):([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/i;

/** Parses a document name, or throws `not_found` for names that cannot exist. */
export function parseDocumentName(name: string): DocumentName {
  const match = PATTERN.exec(name);
  if (!match) throw new AppError('not_found', 'No such document');
  return { kind: match[1] as DocumentKind, id: (match[2] as string).toLowerCase() };
}

/** The document of a component. */
export const componentDoc = (componentId: string): string => `component:${componentId}`;

/** The tokens document of a design system. */
export const tokensDoc = (designSystemId: string): string => `tokens:${designSystemId}`;
