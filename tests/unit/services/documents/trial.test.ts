import { describe, expect, it } from '@jest/globals';
import * as Y from 'yjs';
import { compensate, tryUpdate } from '../../../../src/services/documents/trial.ts';
import { hasPending } from '../../../../src/services/documents/yjs-internals.ts';

/** A server copy, a sender and a peer, all holding "hello world". */
function copies() {
  const server = new Y.Doc();
  server.getText('code').insert(0, 'hello world');
  const state = Y.encodeStateAsUpdate(server);
  const sender = new Y.Doc();
  const peer = new Y.Doc();
  Y.applyUpdate(sender, state);
  Y.applyUpdate(peer, state);
  return { server, sender, peer };
}

/** The update `fn` makes on `doc`. */
function change(doc: Y.Doc, fn: (doc: Y.Doc) => void): Uint8Array {
  const updates: Uint8Array[] = [];
  const capture = (u: Uint8Array) => updates.push(u);
  doc.on('update', capture);
  fn(doc);
  doc.off('update', capture);
  return Y.mergeUpdates(updates);
}

describe('compensate', () => {
  it('reverts an insertion and a deletion so that sender, peer and server converge', () => {
    const { server, sender, peer } = copies();
    const refused = change(sender, (d) => {
      d.getText('code').delete(0, 6);
      d.getText('code').insert(0, 'HACK ');
    });
    expect(sender.getText('code').toString()).toBe('HACK world');
    const pair = compensate(server, refused, new Map()) as Uint8Array;
    expect(server.getText('code').toString()).toBe('hello world');
    Y.applyUpdate(sender, pair);
    Y.applyUpdate(peer, pair);
    for (const doc of [sender, peer]) expect(doc.getText('code').toString()).toBe('hello world');
    expect(Y.encodeStateVector(sender)).toEqual(Y.encodeStateVector(server));

    // The sender's next edit builds on the reverted items and still integrates everywhere.
    const later = change(sender, (d) => d.getText('code').insert(11, '!'));
    Y.applyUpdate(server, later);
    Y.applyUpdate(peer, later);
    for (const doc of [server, peer, sender]) {
      expect(doc.getText('code').toString()).toBe('hello world!');
      expect(hasPending(doc)).toBe(false);
    }
  });

  it('reverts writes to roots the server never had', () => {
    const { server, sender } = copies();
    const refused = change(sender, (d) => d.getMap('hidden').set('x', 'y'));
    const pair = compensate(server, refused, new Map([['hidden', 'map']])) as Uint8Array;
    Y.applyUpdate(sender, pair);
    expect(sender.getMap('hidden').toJSON()).toEqual({});
    expect(server.getMap('hidden').toJSON()).toEqual({});
    expect(Y.encodeStateVector(sender)).toEqual(Y.encodeStateVector(server));
  });

  it('answers null for an update the server already holds', () => {
    const { server, sender } = copies();
    const update = change(sender, (d) => d.getText('code').insert(0, '>'));
    Y.applyUpdate(server, update);
    expect(compensate(server, update, new Map())).toBeNull();
    expect(server.getText('code').toString()).toBe('>hello world');
  });
});

describe('tryUpdate', () => {
  it('reports what changed and keeps the update when accepted', () => {
    const { server, sender } = copies();
    const update = change(sender, (d) => d.getMap('meta').set('name', 'Button'));
    const meta = server.getMap('meta');
    const trial = tryUpdate(server, update, [meta]);
    expect(trial.changes.touched(meta)).toBe(true);
    expect([...trial.changes.keys(meta)]).toEqual(['name']);
    expect(trial.changes.touched(server.getText('code'))).toBe(false);
    trial.accept();
    expect(meta.get('name')).toBe('Button');
  });

  it('reverts only its own update when others changed the same map meanwhile', () => {
    const { server, sender } = copies();
    const meta = server.getMap('meta');
    const update = change(sender, (d) => d.getMap('meta').set('name', 'x'.repeat(300)));
    const trial = tryUpdate(server, update, [meta]);
    meta.set('category', 'inputs');
    const pair = trial.revert() as Uint8Array;
    expect(meta.toJSON()).toEqual({ category: 'inputs' });
    Y.applyUpdate(sender, pair);
    Y.applyUpdate(sender, Y.encodeStateAsUpdate(server, Y.encodeStateVector(sender)));
    expect(sender.getMap('meta').toJSON()).toEqual({ category: 'inputs' });
  });
});
