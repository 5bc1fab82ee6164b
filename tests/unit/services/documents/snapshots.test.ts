import { describe, expect, it } from '@jest/globals';
import * as Y from 'yjs';
import { containsSnapshot, snapshotOf } from '../../../../src/services/documents/snapshots.ts';

function pair() {
  const a = new Y.Doc();
  a.getText('t').insert(0, 'hello world');
  const b = new Y.Doc();
  Y.applyUpdate(b, Y.encodeStateAsUpdate(a));
  return { a, b };
}

describe('containsSnapshot', () => {
  it('holds for equal states and for a state that grew', () => {
    const { a, b } = pair();
    expect(containsSnapshot(snapshotOf(a), snapshotOf(b))).toBe(true);
    a.getText('t').insert(0, '>');
    expect(containsSnapshot(snapshotOf(a), snapshotOf(b))).toBe(true);
    expect(containsSnapshot(snapshotOf(b), snapshotOf(a))).toBe(false);
    expect(containsSnapshot(snapshotOf(b), null)).toBe(true);
  });

  it('sees a deletion the other state lacks (the state vector alone does not)', () => {
    const { a, b } = pair();
    a.getText('t').delete(0, 6);
    expect(Y.encodeStateVector(a)).toEqual(Y.encodeStateVector(b));
    expect(containsSnapshot(snapshotOf(b), snapshotOf(a))).toBe(false);
    expect(containsSnapshot(snapshotOf(a), snapshotOf(b))).toBe(true);
    b.getText('t').delete(0, 3);
    b.getText('t').delete(0, 3);
    expect(containsSnapshot(snapshotOf(b), snapshotOf(a))).toBe(true);
  });

  it('is false both ways for concurrent changes', () => {
    const { a, b } = pair();
    a.getText('t').insert(0, 'A');
    b.getText('t').insert(0, 'B');
    expect(containsSnapshot(snapshotOf(a), snapshotOf(b))).toBe(false);
    expect(containsSnapshot(snapshotOf(b), snapshotOf(a))).toBe(false);
  });
});
