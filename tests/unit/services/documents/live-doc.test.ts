import { describe, expect, it } from '@jest/globals';
import * as Y from 'yjs';
import {
  applyEach,
  discard,
  emptyQueue,
  enqueue,
  queuedPlacements,
  reachOf,
  settled,
  type LiveDoc,
} from '../../../../src/services/documents/live-doc.ts';
import { checkUpdate } from '../../../../src/services/documents/update-check.ts';

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

/** A copy of `doc` as DocumentService holds it, with nothing queued. */
function liveOf(doc: Y.Doc): LiveDoc {
  return { doc, queue: emptyQueue(), closed: false } as unknown as LiveDoc;
}

/** Checks `update` against the copy and its queue, as DocumentService does, and queues it. */
function accept(live: LiveDoc, update: Uint8Array): void {
  const facts = checkUpdate(update, {
    doc: live.doc,
    reach: (c) => reachOf(live, c),
    queued: (c, from, to) => queuedPlacements(live, c, from, to),
  });
  if (!facts.touched) throw new Error('not placed');
  enqueue(live, update, facts, facts.touched.placements);
}

describe('the queue of accepted updates', () => {
  it('checks each update against what is queued, and integrates the queue in order in one transaction', () => {
    const live = liveOf(new Y.Doc());
    const all = updates(5);
    for (const u of all) accept(live, u);
    // Nothing integrated yet, but the queue counts: update 5 refers to update 4's item.
    expect(live.doc.getText('t').length).toBe(0);
    const client = Y.decodeUpdate(all[0] as Uint8Array).structs[0]?.id.client as number;
    expect(reachOf(live, client)).toBe(5);
    expect(queuedPlacements(live, client, 3, 4)).toEqual([
      expect.objectContaining({ client, clock: 3, end: 4, root: 't' }),
    ]);
    expect(queuedPlacements(live, client, 5, 9)).toEqual([]);

    let transactions = 0;
    live.doc.on('afterTransaction', () => transactions++);
    expect(settled(live).getText('t').toString()).toBe('01234');
    expect(transactions).toBe(1);
    expect(live.queue.updates).toEqual([]);
    expect(reachOf(live, client)).toBe(5);
  });

  it('an update beyond what the document and the queue hold is refused, not queued', () => {
    const live = liveOf(new Y.Doc());
    const [first, , third] = updates(3);
    accept(live, first as Uint8Array);
    expect(() => accept(live, third as Uint8Array)).toThrow(
      expect.objectContaining({ code: 'resync_required' }) as unknown as Error,
    );
    expect(live.queue.updates).toHaveLength(1);
  });

  it('integrates on its own after a short delay, and a discarded copy forgets its queue', async () => {
    const live = liveOf(new Y.Doc());
    const [first, second] = updates(2);
    accept(live, first as Uint8Array);
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(live.doc.getText('t').toString()).toBe('0');

    accept(live, second as Uint8Array);
    discard(live);
    expect(live.closed).toBe(true);
    expect(live.queue.updates).toEqual([]);
    expect(live.queue.timer).toBeNull();
  });

  it('a long queue is integrated at once', () => {
    const live = liveOf(new Y.Doc());
    for (const u of updates(256)) accept(live, u);
    expect(live.queue.updates).toEqual([]);
    expect(live.doc.getText('t').length).toBe(256);
  });
});
