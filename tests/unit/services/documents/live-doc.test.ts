import { describe, expect, it } from '@jest/globals';
import * as Y from 'yjs';
import { applyEach, defer, discard, settled, type LiveDoc } from '../../../../src/services/documents/live-doc.ts';

/** `count` updates from one writer, each appending its index to text `t`. */
function updates(count: number): Uint8Array[] {
  const source = new Y.Doc();
  const out: Uint8Array[] = [];
  source.on('update', (u: Uint8Array) => out.push(u));
  for (let i = 0; i < count; i++) source.getText('t').insert(source.getText('t').length, String(i % 10));
  return out;
}

function liveDoc(errors: unknown[] = []): LiveDoc {
  return {
    name: 'component:x',
    parsed: { kind: 'component', id: 'x', name: 'component:x' },
    owner: { teamId: 't', designSystemId: 'd' },
    doc: new Y.Doc(),
    unapplied: [],
    settleTimer: null,
    onIntegrateError: (err) => errors.push(err),
    sinceCompact: 0,
    held: new Set(),
    version: 0,
    lastTouched: 0,
    peers: 0,
    unsubscribe: async () => undefined,
  };
}

const garbage = new Uint8Array([1, 1, 200, 200, 200, 200, 9]);

describe('a live document', () => {
  it('integrates what waits, in order and in one transaction, when it is read', () => {
    const live = liveDoc();
    let transactions = 0;
    live.doc.on('afterTransaction', () => transactions++);
    for (const u of updates(10)) defer(live, u);
    expect(live.doc.getText('t').toString()).toBe('');
    expect(settled(live).getText('t').toString()).toBe('0123456789');
    expect(transactions).toBe(1);
    expect(live.unapplied).toEqual([]);
    expect(live.settleTimer).toBeNull();
    discard(live);
  });

  it('integrates by itself soon after, and at once when many are waiting', async () => {
    const live = liveDoc();
    const [first, ...rest] = updates(300);
    defer(live, first as Uint8Array);
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(live.doc.getText('t').toString()).toBe('0');
    for (const u of rest.slice(0, 255)) defer(live, u);
    expect(live.doc.getText('t').length).toBe(1);
    defer(live, rest[255] as Uint8Array);
    expect(live.doc.getText('t').length).toBe(257);
    discard(live);
  });

  it('skips an update that will not integrate, reports it, and keeps the others', () => {
    const errors: unknown[] = [];
    const live = liveDoc(errors);
    const [a, b] = updates(2);
    defer(live, a as Uint8Array);
    defer(live, garbage);
    defer(live, b as Uint8Array);
    expect(settled(live).getText('t').toString()).toBe('01');
    expect(errors).toHaveLength(1);
    discard(live);
  });

  it('loads stored updates, skipping one that fails', () => {
    const doc = new Y.Doc();
    const [a, b] = updates(2);
    applyEach(doc, [a as Uint8Array, garbage, b as Uint8Array]);
    expect(doc.getText('t').toString()).toBe('01');
  });
});
