// Contract test for src/services/documents/yjs-internals.ts: what it reads below Yjs's documented
// API must still mean what it meant in the pinned version. A Yjs upgrade that changes it fails here.
import { describe, expect, it } from '@jest/globals';
import * as Y from 'yjs';
import { clientState, hasPending, touchedRoots } from '../../../../src/services/documents/yjs-internals.ts';

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

describe('touchedRoots', () => {
  /** The roots an update changes, placed in `doc` (which does not hold it yet). */
  const placed = (doc: Y.Doc, update: Uint8Array) => {
    const decoded = Y.decodeUpdate(update);
    const touched = touchedRoots(doc, decoded.structs, decoded.ds.clients);
    return touched && [...touched.roots].sort();
  };
  /** The roots Yjs itself reports changed when it integrates the update. */
  const actual = (doc: Y.Doc, update: Uint8Array) => {
    const copy = new Y.Doc();
    Y.applyUpdate(copy, Y.encodeStateAsUpdate(doc));
    for (const name of doc.share.keys()) copy.get(name);
    const changed = new Set<string>();
    copy.on('afterTransaction', (tr: Y.Transaction) => {
      for (const [name, type] of copy.share)
        if (tr.changedParentTypes.has(type) || tr.changed.has(type)) changed.add(name);
    });
    Y.applyUpdate(copy, update);
    return [...changed].sort();
  };
  const change = (doc: Y.Doc, fn: (d: Y.Doc) => void) => {
    const client = new Y.Doc();
    Y.applyUpdate(client, Y.encodeStateAsUpdate(doc));
    let update: Uint8Array | null = null;
    client.on('update', (u: Uint8Array) => (update = update ? Y.mergeUpdates([update, u]) : u));
    fn(client);
    return update as unknown as Uint8Array;
  };

  function component(): Y.Doc {
    const doc = new Y.Doc();
    doc.getMap('meta').set('name', 'Button');
    doc.getText('code').insert(0, 'export const Button = () => null;');
    doc.getText('docs').insert(0, 'Docs');
    const props = doc.getMap('props');
    props.set('size', { type: 'string' });
    const tokens = doc.getMap<Y.Map<unknown>>('tokens');
    const entry = new Y.Map<unknown>();
    tokens.set('color.brand', entry);
    entry.set('$value', '#f00');
    return doc;
  }

  it.each([
    ['typing in the middle of code', (d: Y.Doc) => d.getText('code').insert(10, 'abc')],
    ['typing at the start of docs', (d: Y.Doc) => d.getText('docs').insert(0, '>')],
    ['deleting code', (d: Y.Doc) => d.getText('code').delete(2, 5)],
    ['renaming', (d: Y.Doc) => d.getMap('meta').set('name', 'Other')],
    ['removing a prop', (d: Y.Doc) => d.getMap('props').delete('size')],
    [
      'editing a nested token map',
      (d: Y.Doc) => (d.getMap('tokens').get('color.brand') as Y.Map<unknown>).set('$value', '#0f0'),
    ],
    [
      'typing code and renaming at once',
      (d: Y.Doc) =>
        d.transact(() => {
          d.getText('code').insert(0, 'x');
          d.getMap('meta').set('name', 'X');
        }),
    ],
    ['writing a root the layout lacks', (d: Y.Doc) => d.getText('hidden').insert(0, 'x')],
  ])('places %s where Yjs says it lands', (_label, fn) => {
    const doc = component();
    const update = change(doc, fn);
    expect(placed(doc, update)).toEqual(actual(doc, update));
  });

  it('gives up (null) on a reference it cannot place', () => {
    const doc = component();
    const other = new Y.Doc();
    other.getText('code').insert(0, 'unrelated');
    const update = change(other, (d) => d.getText('code').insert(3, 'x'));
    expect(placed(doc, update)).toBeNull();
  });
});
