import { describe, expect, it } from '@jest/globals';
import * as Y from 'yjs';
import { checkSize, checkUpdate } from '../../../../src/services/documents/update-check.ts';

const codeOf = (fn: () => void): string | undefined => {
  try {
    fn();
    return undefined;
  } catch (err) {
    return (err as { code?: string }).code;
  }
};

/** Client 7 typed "hello" (its clocks 0–4); `later` is its next update, inserting "XY" at 2. */
function history(): { first: Uint8Array; later: Uint8Array } {
  const doc = new Y.Doc();
  doc.clientID = 7;
  const updates: Uint8Array[] = [];
  doc.on('update', (u: Uint8Array) => updates.push(u));
  doc.getText('t').insert(0, 'hello');
  doc.getText('t').insert(2, 'XY');
  return { first: updates[0] as Uint8Array, later: updates[1] as Uint8Array };
}

/** Whether Yjs itself fails to integrate `update` into a document holding `first`. */
function yjsRejects(first: Uint8Array, update: Uint8Array): boolean {
  const doc = new Y.Doc();
  Y.applyUpdate(doc, first);
  try {
    Y.applyUpdate(doc, update);
    Y.encodeStateAsUpdate(doc);
    return false;
  } catch {
    return true;
  }
}

describe('checkUpdate', () => {
  it('accepts real updates, including deletions and a whole document', () => {
    const { first, later } = history();
    const doc = new Y.Doc();
    Y.applyUpdate(doc, first);
    Y.applyUpdate(doc, later);
    let deletion: Uint8Array | undefined;
    doc.on('update', (u: Uint8Array) => (deletion = u));
    doc.getText('t').delete(0, 3);
    for (const update of [first, later, deletion as Uint8Array, Y.encodeStateAsUpdate(doc), new Uint8Array([0, 0])]) {
      expect(codeOf(() => checkUpdate(update))).toBeUndefined();
    }
  });

  it('refuses bytes that do not decode', () => {
    expect(codeOf(() => checkUpdate(new Uint8Array([1, 2, 3, 250, 251])))).toBe('invalid_update');
    expect(codeOf(() => checkUpdate(Buffer.from('definitely not yjs')))).toBe('invalid_update');
  });

  it('refuses an item that refers to a change its own client has not made yet (it decodes, but Yjs cannot integrate it)', () => {
    const { first, later } = history();
    // The insertion's left origin, client 7 clock 1, rewritten to clock 5: the item's own id.
    const forged = Uint8Array.from(later);
    expect(Buffer.from(forged).toString('hex')).toBe('01010705c40701070202585900');
    forged[6] = 5;
    expect(() => Y.decodeUpdate(forged)).not.toThrow();
    expect(yjsRejects(first, forged)).toBe(true);
    expect(codeOf(() => checkUpdate(forged))).toBe('invalid_update');
  });

  it('refuses an empty deletion range and an empty struct', () => {
    const { first, later } = history();
    // The item's info byte zeroed: a GC struct whose length swallows the rest, leaving a deletion of length 0.
    const emptyDeletion = Uint8Array.from(later);
    emptyDeletion[4] = 0;
    expect(() => Y.decodeUpdate(emptyDeletion)).not.toThrow();
    expect(yjsRejects(first, emptyDeletion)).toBe(true);
    expect(codeOf(() => checkUpdate(emptyDeletion))).toBe('invalid_update');
    // One client, one struct: client 7, clock 5, a GC of length 0; no deletions.
    expect(codeOf(() => checkUpdate(new Uint8Array([1, 1, 7, 5, 0, 0, 0])))).toBe('invalid_update');
  });
});

describe('checkSize', () => {
  it('refuses empty and oversize updates', () => {
    expect(codeOf(() => checkSize(new Uint8Array(0), 10))).toBe('invalid_update');
    expect(codeOf(() => checkSize(new Uint8Array(11), 10))).toBe('update_too_large');
    expect(codeOf(() => checkSize(new Uint8Array(10), 10))).toBeUndefined();
  });
});
