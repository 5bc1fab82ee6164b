// Code anchors: a comment on a range of a component's code is stored as Yjs relative positions,
// which keep pointing at the same characters while others edit before them.
import * as Y from 'yjs';

export interface StoredAnchor {
  type: 'code';
  start: string;
  end: string;
}

/** A merge-request comment on one entry of the branch diff (docs/branches.md). */
export interface DiffAnchor {
  type: 'diff';
  entry: string;
}

export interface ResolvedAnchor {
  /** Where the anchored text starts and ends now (null once it was deleted). */
  start: number | null;
  end: number | null;
  text: string | null;
  /** The diff entry a merge-request comment is about. */
  entry?: string;
}

const encode = (pos: Y.RelativePosition) => Buffer.from(Y.encodeRelativePosition(pos)).toString('base64');
const decode = (value: string) => Y.decodeRelativePosition(new Uint8Array(Buffer.from(value, 'base64')));

/** Anchors [offset, offset + length) of the document's `code`. */
export function createAnchor(doc: Y.Doc, offset: number, length: number): StoredAnchor {
  const code = doc.getText('code');
  const start = Math.max(0, Math.min(offset, code.length));
  const end = Math.max(start, Math.min(start + length, code.length));
  // The start sticks to the character after it, the end to the one before, so text typed at
  // either edge stays outside the range.
  return {
    type: 'code',
    start: encode(Y.createRelativePositionFromTypeIndex(code, start, 0)),
    end: encode(Y.createRelativePositionFromTypeIndex(code, end, -1)),
  };
}

/** Where an anchor points in the document now. */
export function resolveAnchor(doc: Y.Doc, anchor: StoredAnchor): ResolvedAnchor {
  const start = Y.createAbsolutePositionFromRelativePosition(decode(anchor.start), doc);
  const end = Y.createAbsolutePositionFromRelativePosition(decode(anchor.end), doc);
  if (!start || !end) return { start: null, end: null, text: null };
  return { start: start.index, end: end.index, text: doc.getText('code').toString().slice(start.index, end.index) };
}
