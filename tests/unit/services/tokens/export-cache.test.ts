import { describe, expect, it } from '@jest/globals';
import * as Y from 'yjs';
import { docState, ExportCache } from '../../../../src/services/tokens/export/cache.ts';
import { exportTokens } from '../../../../src/services/tokens/export/index.ts';
import type { TokenMap } from '../../../../src/services/tokens/token.types.ts';

const tokens = (value: string): TokenMap => new Map([['color.brand', { $type: 'color', $value: value }]]) as TokenMap;

describe('ExportCache', () => {
  it('builds once per set of inputs, and any change to the tokens is a different entry', async () => {
    const cache = new ExportCache();
    let builds = 0;
    const run = (map: TokenMap) =>
      cache.get(ExportCache.key({ tokens: map, format: 'css' }), () => {
        builds++;
        return exportTokens(map, 'css');
      });
    const first = await run(tokens('#ff0000'));
    expect(await run(tokens('#ff0000'))).toBe(first);
    expect(builds).toBe(1);
    const changed = await run(tokens('#00ff00'));
    expect(builds).toBe(2);
    expect(changed.content).toContain('#00ff00');
    expect(first.content).toContain('#ff0000');
  });

  it('keys Maps and Sets by their contents, and keeps at most its entry limit', async () => {
    expect(ExportCache.key({ t: tokens('#fff') })).not.toBe(ExportCache.key({ t: tokens('#000') }));
    expect(ExportCache.key({ s: new Set(['a']) })).not.toBe(ExportCache.key({ s: new Set(['b']) }));
    const cache = new ExportCache(2);
    let builds = 0;
    const get = (k: string) =>
      cache.get(k, async () => {
        builds++;
        return { content: k, contentType: 'text/plain', filename: 'x' };
      });
    await get('a');
    await get('b');
    await get('c'); // evicts a
    await get('a');
    expect(builds).toBe(4);
    await get('c');
    expect(builds).toBe(4);
  });

  it('keys a document by its copy and its changes: each insertion, deletion or applied update is a new key', () => {
    const doc = new Y.Doc();
    const tokensMap = doc.getMap<string>('tokens');
    const seen = new Set([docState(doc)]);
    const expectNew = () => {
      const state = docState(doc);
      expect(seen.has(state)).toBe(false);
      seen.add(state);
    };
    tokensMap.set('color.a', '#111');
    expectNew();
    // A deletion alone leaves the state vector as it was; the key still changes.
    const vector = Y.encodeStateVector(doc);
    tokensMap.delete('color.a');
    expect(Y.encodeStateVector(doc)).toEqual(vector);
    expectNew();
    const other = new Y.Doc();
    other.getMap<string>('tokens').set('color.b', '#222');
    Y.applyUpdate(doc, Y.encodeStateAsUpdate(other));
    expectNew();
    // Nothing changed, same key; another copy of the same content, another key.
    doc.transact(() => {});
    expect(docState(doc)).toBe([...seen].at(-1));
    const copy = new Y.Doc();
    Y.applyUpdate(copy, Y.encodeStateAsUpdate(doc));
    expect(seen.has(docState(copy))).toBe(false);
  });
});
