// Where a branch's documents come from: each is its fork base (main's state at the fork, stored
// once in `branch_documents`) plus the branch's own updates in the ordinary update log.
import * as Y from 'yjs';
import type { Db } from '../../models/db.ts';
import type { DocumentOwner } from '../documents/document-change.ts';
import { branchDoc, mainDocOf, type DocumentName } from '../documents/document-names.ts';
import type { Flat } from './three-way.ts';
import { flatten } from './three-way.ts';

/** A forked document of a branch. */
export interface ForkedDocument {
  /** The main document it copies (`component:<id>`, `tokens:<dsId>`). */
  mainName: string;
  kind: 'component' | 'tokens';
  base: Uint8Array;
  baseVector: Uint8Array;
}

/** The owner and fork base of a branch document, or null when the branch never forked it. */
export async function branchOwner(
  db: Db,
  name: DocumentName,
): Promise<(DocumentOwner & { base: Uint8Array; baseVector: Uint8Array }) | null> {
  if (!name.branchId) return null;
  const row = await db.branchDocument.findUnique({
    where: { branchId_mainName: { branchId: name.branchId, mainName: mainDocOf(name) } },
    select: { base: true, baseVector: true, branch: { select: { teamId: true, designSystemId: true } } },
  });
  if (!row) return null;
  return { ...row.branch, base: new Uint8Array(row.base), baseVector: new Uint8Array(row.baseVector) };
}

/** The name of a main document on a branch, or itself for main (`branchId` null). */
export const onBranch = (mainName: string, branchId: string | null): string =>
  branchId ? branchDoc(mainName, branchId) : mainName;

/** The fork base as flat content. */
export function flatBase(doc: ForkedDocument): Flat {
  const ydoc = new Y.Doc();
  try {
    Y.applyUpdate(ydoc, doc.base);
    return flatten(ydoc, doc.kind);
  } finally {
    ydoc.destroy();
  }
}

/** The kind of a main document name. */
export const kindOf = (mainName: string): 'component' | 'tokens' =>
  mainName.startsWith('tokens:') ? 'tokens' : 'component';
