import { describe, expect, it } from '@jest/globals';
import { orderedId } from '../../../../src/services/activity/ordered-id.ts';

describe('orderedId', () => {
  it('is a UUIDv7 that ascends call after call, even thousands in one millisecond', () => {
    const ids = Array.from({ length: 10_000 }, () => orderedId());
    for (const id of ids) expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    // PostgreSQL compares uuids byte by byte, as strings of hex digits compare.
    expect([...ids].sort()).toEqual(ids);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('carries the time it was made', () => {
    const before = Date.now();
    const ms = Number.parseInt(orderedId().replace(/-/g, '').slice(0, 12), 16);
    expect(ms).toBeGreaterThanOrEqual(before);
    expect(ms).toBeLessThan(before + 1000);
  });
});
