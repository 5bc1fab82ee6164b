// Document names: `component:<componentId>` and `tokens:<designSystemId>`, always with the id in its
// canonical lower-case form; a branch's copy adds `@<branchId>` (docs/branches.md). A name is parsed once where it enters (socket payload, /yjs path) and
// anything else is refused, so one document can never be opened under two spellings.
import { z } from 'zod';
import { AppError } from '../../utils/errors.ts';

export type DocumentKind = 'component' | 'tokens';

export interface DocumentName {
  kind: DocumentKind;
  /** The resource id (lower-case uuid). */
  id: string;
  /** The canonical name, `<kind>:<id>` or `<kind>:<id>@<branchId>`. */
  name: string;
  /** The branch whose copy this is (absent: main). */
  branchId?: string;
}

const UUID = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';
const PATTERN = new RegExp(`^(component|tokens):(${UUID})(?:@(${UUID}))?$`);

/** Whether `name` is a canonical document name. */
export const isDocumentName = (name: string): boolean => PATTERN.test(name);

/** Parses a canonical document name, or throws `not_found` for anything else (upper-case ids included). */
export function parseDocumentName(name: string): DocumentName {
  const match = PATTERN.exec(name);
  if (!match) throw new AppError('not_found', 'No such document');
  return { kind: match[1] as DocumentKind, id: match[2] as string, name, ...(match[3] ? { branchId: match[3] } : {}) };
}

/** A document name in a client payload: refused with `validation_failed` unless canonical. */
export const documentNameSchema = z.string().max(255).refine(isDocumentName, {
  message:
    'A document name is component:<id> or tokens:<designSystemId> (with @<branchId> on a branch), ids in lower case',
});

/** The document of a component. */
export const componentDoc = (componentId: string): string => `component:${componentId.toLowerCase()}`;

/** The tokens document of a design system. */
export const tokensDoc = (designSystemId: string): string => `tokens:${designSystemId.toLowerCase()}`;

/** A main document's copy on a branch. */
export const branchDoc = (mainName: string, branchId: string): string => `${mainName}@${branchId.toLowerCase()}`;

/** The main document a (branch) document name stands for. */
export const mainDocOf = (name: DocumentName): string => `${name.kind}:${name.id}`;
