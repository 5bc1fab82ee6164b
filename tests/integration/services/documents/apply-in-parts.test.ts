// DocumentService.applyInParts: a large change built elsewhere (a token import built on a worker
// thread) integrated one part per event-loop turn, stored and relayed as one update, and never seen
// half-applied by reads or writes of the same document on this node.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import * as Y from 'yjs';
import { tokensDoc } from '../../../../src/services/documents/document-names.ts';
import { buildCrew, buildDesignSystem } from '../../../support/factories.ts';
import { startTestServer, type TestServer } from '../../../support/server.ts';

let server: TestServer;
let crew: Awaited<ReturnType<typeof buildCrew>>;
beforeAll(async () => {
  server = await startTestServer();
  crew = await buildCrew(server);
});
afterAll(() => server.close());

/** A change to the tokens document, as parts of `per` tokens and as one update. */
function change(state: Uint8Array, count: number, per: number, group = 'size') {
  const doc = new Y.Doc();
  Y.applyUpdate(doc, state);
  const parts: Uint8Array[] = [];
  doc.on('update', (u: Uint8Array) => parts.push(u));
  const tokens = doc.getMap<Y.Map<unknown>>('tokens');
  for (let start = 0; start < count; start += per)
    doc.transact(() => {
      for (let i = start; i < Math.min(count, start + per); i++) {
        const entry = new Y.Map<unknown>();
        tokens.set(`${group}.s${i}`, entry);
        entry.set('$value', `${i}px`);
        entry.set('$type', 'dimension');
      }
    });
  return { parts, update: Y.mergeUpdates(parts) };
}

const setup = async () => {
  const ds = await buildDesignSystem(server, crew.team, crew.editor);
  const name = tokensDoc(ds.id);
  const docs = server.services.documents;
  const basis = await docs.read(name, null, (doc) => ({
    state: Y.encodeStateAsUpdate(doc),
    snapshot: Y.encodeSnapshot(Y.snapshot(doc)),
  }));
  const editor = await server.services.authenticator.resolve(crew.editor.accessToken);
  return { name, docs, basis, editor };
};
const sizeOf = (doc: Y.Doc) => doc.getMap('tokens').size;

describe('DocumentService.applyInParts', () => {
  it('never lets a read or a write of the document see half of the change', async () => {
    const { name, docs, basis, editor } = await setup();
    const { parts, update } = change(basis.state, 3000, 500);
    expect(parts).toHaveLength(6);
    const rows = await server.db.documentUpdate.count({ where: { docName: name } });
    // A read and a write started as soon as the first part is in: each waits for the whole change.
    const live = await docs.read(name, null, (doc) => doc);
    const seen = new Promise<number[]>((resolve) => {
      const first = () => {
        live.off('afterTransaction', first);
        expect(sizeOf(live)).toBe(500);
        void Promise.all([docs.read(name, null, sizeOf), docs.transact(name, null, sizeOf).then((r) => r.result)]).then(
          resolve,
        );
      };
      live.on('afterTransaction', first);
    });
    expect(await docs.applyInParts(name, editor, { parts, update }, basis.snapshot)).toBe(true);
    expect(await seen).toEqual([3000, 3000]);
    // Stored as one update.
    expect(await server.db.documentUpdate.count({ where: { docName: name } })).toBe(rows + 1);
  });

  it('integrates two changes started together one after the other, each whole', async () => {
    const { name, docs, basis, editor } = await setup();
    const first = change(basis.state, 1500, 500);
    const second = change(basis.state, 1500, 500, 'other');
    const live = await docs.read(name, null, (doc) => doc);
    const sizes: number[] = [];
    const reads: Promise<number>[] = [];
    const watch = () => {
      sizes.push(sizeOf(live));
      reads.push(docs.read(name, null, sizeOf));
    };
    live.on('afterTransaction', watch);
    const results = await Promise.all([
      docs.applyInParts(name, editor, first),
      docs.applyInParts(name, editor, second),
    ]);
    live.off('afterTransaction', watch);
    expect(results).toEqual([true, true]);
    // Part by part: the first change's three parts, then the second's.
    expect(sizes).toEqual([500, 1000, 1500, 2000, 2500, 3000]);
    // A read started meanwhile sees one change whole, or both.
    for (const seen of await Promise.all(reads)) expect([1500, 3000]).toContain(seen);
  });

  it('applies nothing when the document changed since the state the change was built on', async () => {
    const { name, docs, basis, editor } = await setup();
    const { parts, update } = change(basis.state, 10, 5);
    await docs.transact(name, null, (doc) => doc.getMap('groups').set('size', { $type: 'dimension' }));
    expect(await docs.applyInParts(name, editor, { parts, update }, basis.snapshot)).toBe(false);
    expect(await docs.read(name, null, sizeOf)).toBe(0);
    // Without a basis it is integrated like any concurrent edit.
    expect(await docs.applyInParts(name, editor, { parts, update })).toBe(true);
    expect(await docs.read(name, null, sizeOf)).toBe(10);
  });

  it('refuses a viewer like the policy does, writing nothing', async () => {
    const { name, docs, basis } = await setup();
    const viewer = await server.services.authenticator.resolve(crew.viewer.accessToken);
    const { parts, update } = change(basis.state, 3, 5);
    await expect(docs.applyInParts(name, viewer, { parts, update })).rejects.toMatchObject({ code: 'forbidden' });
    expect(await docs.read(name, null, sizeOf)).toBe(0);
  });
});
