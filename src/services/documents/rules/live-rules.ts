// Live rules: what a live Yjs edit must satisfy, the same rules as REST writes of the same fields.
// An update that may break one is integrated as a trial (trial.ts) and checked; a broken rule
// reverts it and refuses it with the error REST would give.
import type * as Y from 'yjs';
import type { DocumentName } from '../document-names.ts';
import type { SharedType, TrialChanges } from '../trial.ts';
import type { UpdateFacts } from '../update-check.ts';

/** The document being checked. */
export interface RuleContext {
  parsed: DocumentName;
  designSystemId: string;
}

/** The rules of one kind of document. */
export interface LiveRules {
  /** Creates the layout's root types, typed, before anything is applied. */
  layout(doc: Y.Doc): void;
  /** The types an update must be tried on before it is kept; empty when it cannot break a rule. */
  watch(doc: Y.Doc, facts: UpdateFacts): SharedType[];
  /** Throws the error REST would give when the tried update broke a rule. */
  check(doc: Y.Doc, changes: TrialChanges, context: RuleContext): void | Promise<void>;
}

/** Roots a document of this layout does not have, created by an update (always refused). */
export function foreignRoots(doc: Y.Doc, layout: ReadonlySet<string>): SharedType[] {
  return [...doc.share].filter(([name]) => !layout.has(name)).map(([, type]) => type);
}
