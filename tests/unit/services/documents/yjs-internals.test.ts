// Contract test for src/services/documents/yjs-internals.ts: what it reads below Yjs's documented
// API must still mean what it meant in the pinned version. A Yjs upgrade that changes it fails here.
import { describe, expect, it } from '@jest/globals';
import * as Y from 'yjs';
import { clientState, hasPending } from '../../../../src/services/documents/yjs-internals.ts';

describe('yjs internals', () => {
  it('reads each client’s next clock from the struct store, as the state vector has it', () => {
    const doc = new Y.Doc();
    doc.clientID = 42;
    expect(clientState(doc, 42)).toBe(0);
    doc.getText('t').insert(0, 'hello');
    doc.getMap('m').set('k', 1);
    expect(clientState(doc, 42)).toBe(Y.decodeStateVector(Y.encodeStateVector(doc)).get(42));
    expect(clientState(doc, 42)).toBe(6);
    expect(clientState(doc, 7)).toBe(0);
  });

  it('sees updates parked for missing dependencies', () => {
    const source = new Y.Doc();
    const updates: Uint8Array[] = [];
    source.on('update', (u: Uint8Array) => updates.push(u));
    source.getText('t').insert(0, 'a');
    source.getText('t').insert(1, 'b');
    const doc = new Y.Doc();
    Y.applyUpdate(doc, updates[1] as Uint8Array);
    expect(hasPending(doc)).toBe(true);
    Y.applyUpdate(doc, updates[0] as Uint8Array);
    expect(hasPending(doc)).toBe(false);
    expect(doc.getText('t').toString()).toBe('ab');
  });
});
