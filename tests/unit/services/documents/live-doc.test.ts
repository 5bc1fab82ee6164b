import { describe, expect, it } from '@jest/globals';
import * as Y from 'yjs';
import { applyEach } from '../../../../src/services/documents/live-doc.ts';

/** `count` real updates, each inserting one digit at the end of text `t`. */
function updates(count: number): Uint8Array[] {
  const source = new Y.Doc();
  const out: Uint8Array[] = [];
  source.on('update', (u: Uint8Array) => out.push(u));
  for (let i = 0; i < count; i++) source.getText('t').insert(source.getText('t').length, String(i % 10));
  return out;
}

describe('applyEach', () => {
  it('loads stored updates in order, skipping one that fails and counting it', () => {
    const doc = new Y.Doc();
    const [a, b] = updates(2);
    expect(applyEach(doc, [a as Uint8Array, new Uint8Array([1, 1, 200, 200, 200, 200, 9]), b as Uint8Array])).toBe(1);
    expect(doc.getText('t').toString()).toBe('01');
  });
});
