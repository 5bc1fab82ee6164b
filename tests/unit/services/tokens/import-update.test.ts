// The Yjs side of a token import, built off the live document (on a worker thread when large): the
// change as one update to store and relay, and as parts of ~PART_TOKENS tokens, applied one per
// event-loop turn so a 10,000-token import never holds the loop for the whole write.
import { describe, expect, it } from '@jest/globals';
import * as Y from 'yjs';
import { generateTokenFile } from '../../../../bench/tokens/generate.ts';
import { readTokens, writeToken } from '../../../../src/services/documents/tokens-doc.ts';
import { importTokenFiles } from '../../../../src/services/tokens/import/index.ts';
import { importUpdate, PART_TOKENS } from '../../../../src/services/tokens/worker/import-update.ts';

const stateOf = (doc: Y.Doc) => Y.encodeStateAsUpdate(doc);
const withUpdates = (state: Uint8Array, updates: Uint8Array[]) => {
  const doc = new Y.Doc();
  Y.applyUpdate(doc, state);
  for (const u of updates) Y.applyUpdate(doc, u);
  return doc;
};

describe('importUpdate', () => {
  const content = generateTokenFile(2500);
  const files = [{ path: 'tokens.json', content }];

  it('writes what the import reads, as one update and as parts that add up to it', () => {
    const empty = stateOf(new Y.Doc());
    const delta = importUpdate(files, {}, empty);
    const expected = importTokenFiles(files);
    expect(delta.problems).toEqual([]);
    expect(delta).toMatchObject({ format: 'dtcg', total: expected.tokens.size, themes: 0 });
    expect(delta.counts).toEqual({ created: expected.tokens.size, updated: 0, unchanged: 0 });
    expect(delta.parts).toHaveLength(Math.ceil(expected.tokens.size / PART_TOKENS));
    expect(delta.parts.length).toBeGreaterThan(1);
    const whole = readTokens(withUpdates(empty, [delta.update!]));
    expect(whole).toEqual(expected.tokens);
    expect(readTokens(withUpdates(empty, delta.parts))).toEqual(whole);
  });

  it('builds on the stored state: existing tokens are updated in place, unchanged ones left alone', () => {
    const stored = new Y.Doc();
    const first = importTokenFiles(files);
    for (const [path, token] of first.tokens) writeToken(stored, path, token);
    const [path, token] = [...first.tokens][0]!;
    const again = importUpdate(files, {}, stateOf(stored));
    expect(again.counts).toEqual({ created: 0, updated: 0, unchanged: first.tokens.size });
    expect(again.update).toBeNull();
    expect(again.parts).toEqual([]);
    // One token changed: the update touches its entry in the stored document, not a copy of it.
    const edited = new Y.Doc();
    Y.applyUpdate(edited, stateOf(stored));
    const one = importUpdate(
      [{ path: 'one.json', content: JSON.stringify(nest(path, { ...token, $description: 'changed' })) }],
      {},
      stateOf(stored),
    );
    expect(one.counts).toEqual({ created: 0, updated: 1, unchanged: 0 });
    Y.applyUpdate(edited, one.update!);
    expect(readTokens(edited).get(path)).toMatchObject({ $description: 'changed' });
    expect(readTokens(edited).size).toBe(first.tokens.size);
  });

  it('answers problems without an update', () => {
    const delta = importUpdate(
      [{ path: 'bad.json', content: '{ "a": { "$type": "color", "$value": "{missing}" } }' }],
      {},
      stateOf(new Y.Doc()),
    );
    expect(delta.problems).toEqual([expect.objectContaining({ path: 'a', code: 'broken_alias', file: 'bad.json' })]);
    expect(delta.update).toBeNull();
  });
});

/** `a.b.c` and a token → `{ a: { b: { c: token } } }`. */
function nest(path: string, token: object): Record<string, unknown> {
  return path
    .split('.')
    .reduceRight<Record<string, unknown>>((inner, key) => ({ [key]: inner }), token as Record<string, unknown>);
}
