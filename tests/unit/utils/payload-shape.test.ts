import { describe, expect, it } from '@jest/globals';
import { measurePayload } from '../../../src/utils/payload-shape.ts';

describe('measurePayload', () => {
  it('measures depth and bytes of ordinary payloads', () => {
    expect(measurePayload('abc')).toEqual({ bytes: 3, depth: 0, exceeded: null });
    expect(measurePayload({ a: [1, { b: 'xy' }] })).toMatchObject({ depth: 3, exceeded: null });
    expect(measurePayload(new Uint8Array(10)).bytes).toBe(10);
  });

  it('stops at the first limit passed, without recursion', () => {
    let deep: unknown = 1;
    for (let i = 0; i < 200_000; i++) deep = [deep];
    expect(measurePayload(deep, { maxDepth: 64 })).toMatchObject({ depth: 65, exceeded: 'depth' });
    expect(measurePayload({ big: 'x'.repeat(1000) }, { maxBytes: 100 }).exceeded).toBe('bytes');
    expect(measurePayload({ ok: 'x'.repeat(50) }, { maxBytes: 100 }).exceeded).toBeNull();
  });

  it('counts own keys only', () => {
    const proto = { inherited: 'x'.repeat(1000) };
    const child = Object.create(proto) as Record<string, unknown>;
    child.own = 'y';
    expect(measurePayload(child).bytes).toBeLessThan(20);
  });
});
